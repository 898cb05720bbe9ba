"""How a person's name is spelled in entity keys, shared by the extract stage and the store.

Keys must meet across articles that spell one name differently: "Kim Jong-un" and "Kim Jong
Un", "Donald J. Trump" and "Donald Trump", "José" and "Jose". The extract stage makes keys
with this; the store matches a short name ("person:putin") to a full one on these keys.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NICKNAME = re.compile(r"\s[\"“'‘][^\"”'’]+[\"”'’]\s")  # Vincent "The Chin" Gigante
_DASHES = re.compile(r"[\u2010-\u2015\u2212-]")  # hyphens, en and em dashes, minus
_APOSTROPHES = re.compile(r"[’ʼ‘`´]")
# titles before a name, not part of it ("Dr Mark Vinar" is Mark Vinar)
_HONORIFICS = frozenset(("mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame",
                         "sgt", "sergeant", "cpl", "corporal", "pvt", "lt", "lieutenant",
                         "capt", "col", "colonel", "maj", "gen", "adm", "admiral", "rev",
                         "reverend", "fr", "sen", "senator", "rep", "gov", "governor",
                         "president", "mayor", "det", "detective", "deputy", "officer",
                         "judge", "justice"))
# letters NFKD does not split into a base letter and a mark
_LETTERS = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                          "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ð": "d",
                          "þ": "th"})


@lru_cache(maxsize=65536)  # called for every pair of names in an article
def person_key(name: str) -> str:
    """The key spelling of a person's name (without the "person:" prefix).

    Accents, dashes, full stops, a title ("Dr", "Sgt") and a quoted nickname go, apostrophes
    are all one; a middle initial is dropped (so George W. and George H. W. Bush share a key:
    news writes both "Bush" anyway); a leading initial stays ("W. Mark Felt"), as does a
    suffix ("Donald Trump Jr.").
    """
    bare = _NICKNAME.sub(" ", f" {name} ")
    name = bare if bare.strip() else name.strip("\"“”'‘’ ")  # a name wholly in quotes
    name = _DASHES.sub(" ", _APOSTROPHES.sub("'", name)).replace(".", " ").translate(_LETTERS)
    folded = "".join(c for c in unicodedata.normalize("NFKD", name)
                     if not unicodedata.combining(c))
    tokens = (folded if any(c.isalpha() for c in folded) else name).lower().split()
    while len(tokens) >= 3 and tokens[0] in _HONORIFICS:  # a title and a full name after it
        tokens = tokens[1:]
    if len(tokens) >= 3:
        tokens = [tokens[0]] + [t for t in tokens[1:-1] if len(t) > 1] + [tokens[-1]]
    return " ".join(tokens)
