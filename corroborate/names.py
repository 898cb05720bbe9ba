"""How a person's name is spelled in entity keys, shared by the extract stage and the store.

Keys must meet across articles that spell one name differently: "Kim Jong-un" and "Kim Jong
Un", "Donald J. Trump" and "Donald Trump", "José" and "Jose". The extract stage makes keys
with this; the store uses it to make a short name's key when it aliases a full one.
"""

from __future__ import annotations

import re
import unicodedata

_NICKNAME = re.compile(r"\s[\"“'‘][^\"”'’]+[\"”'’]\s")  # Vincent "The Chin" Gigante


def person_key(name: str) -> str:
    """The key spelling of a person's name (without the "person:" prefix).

    Accents, hyphens, full stops and a quoted nickname go, a curly apostrophe is straight;
    a middle initial is dropped (so George W. and George H. W. Bush share a key: news
    writes both "Bush" anyway); a leading initial stays ("W. Mark Felt"), as does a suffix
    ("Donald Trump Jr.").
    """
    name = _NICKNAME.sub(" ", f" {name} ").replace("’", "'").replace("-", " ").replace(".", " ")
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    # a name in another script has no ASCII letters: keep it as written, not as ""
    tokens = (folded if any(c.isalpha() for c in folded) else name).lower().split()
    if len(tokens) >= 3:
        tokens = [tokens[0]] + [t for t in tokens[1:-1] if len(t) > 1] + [tokens[-1]]
    return " ".join(tokens)
