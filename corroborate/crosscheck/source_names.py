"""Names a source can and cannot have, and names that are one source written two ways.

A source is someone who can say something: never "They", "Another", "Story" or the dateline's
"Peru". And one source keeps one identity however an article writes it: the surname alone
("Nambiar" for "Manohar Nambiar", also when the parser took it for an organisation), a
transliteration one letter apart ("Alishvandi" / "Alishbandi"), an acronym for its full name
("NTSB" / "National Transportation Safety Board"), a role the story ties to a named person
("a defence spokesperson" / "Manohar Nambiar, chief PRO (Defence)").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher

PRONOUNS = frozenset({
    "i", "we", "you", "he", "she", "it", "they", "him", "her", "them", "us", "me", "one",
    "who", "whom", "which", "that", "this", "these", "those", "someone", "somebody",
    "anyone", "everyone", "nobody", "himself", "herself", "themselves", "itself", "his",
    "hers", "its", "their", "theirs", "our",
})
DETERMINERS = frozenset({
    "a", "an", "the", "another", "other", "others", "some", "both", "all", "each", "either",
    "neither", "many", "most", "few", "several", "such", "any", "more", "much",
})
# Words that name a thing that cannot speak for itself when they stand alone as the source.
GENERIC = frozenset({
    "story", "stories", "article", "page", "news", "update", "video", "photo", "image",
    "caption", "headline", "post", "text", "thing", "things", "time", "day", "week", "year",
    "today", "yesterday", "people", "man", "woman", "person",
})
# One role, several words: matched as one when a role ties an unnamed source to a named one.
ROLE_SYNONYMS = {
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "pro": "spokesperson",
    "spokespeople": "spokesperson", "spokesmen": "spokesperson", "spokeswomen": "spokesperson",
    "defense": "defence", "attorney": "lawyer", "attorneys": "lawyer", "lawyers": "lawyer",
    "counsel": "lawyer", "officials": "official", "officers": "officer",
}
TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "capt", "captain", "cmdr",
    "commander", "col", "colonel", "gen", "general", "lt", "lieutenant", "sgt", "sergeant",
    "insp", "inspector", "det", "detective", "supt", "superintendent", "chief", "officer",
    "rep", "sen", "senator", "gov", "governor", "president", "minister", "judge", "justice",
    "mayor", "rev", "father", "adm", "admiral", "maj", "major", "police", "constable",
})
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_STOP_IN_NAMES = frozenset({"of", "the", "and", "for", "on", "in", "at", "to", "de", "&"})
FUZZY_SURNAME = 0.85  # similarity of two spellings of one surname (7+ letters)
MIN_FUZZY_LETTERS = 7


def name_words(text: str) -> list[str]:
    return [w.casefold().replace("’", "'") for w in _WORD.findall(text)]


def unusable(written: str) -> str | None:
    """Why these words cannot be a source's name ("pronoun", ...), or None when they can."""
    ws = [w[:-2] if w.endswith("'s") else w for w in name_words(written)]
    if not ws:
        return "no words"
    if all(w in PRONOUNS or w in DETERMINERS for w in ws):
        return "pronoun" if any(w in PRONOUNS for w in ws) else "determiner"
    content = [w for w in ws if w not in DETERMINERS]
    if len(content) == 1 and content[0] in GENERIC:
        return "generic word"
    return None


def is_dateline(written: str, sentence: str) -> bool:
    """ "LIMA, Peru —" opening the sentence: a place the report was filed from, not a source."""
    name = written.strip().rstrip(",.;:")
    if not name or len(name) > 60:
        return False
    head = sentence.lstrip()[:120]
    m = re.match(r"([^—–\-(]{1,80}?)\s*(?:\([^)]{1,30}\))?\s*[—–-]{1,2}\s", head)
    return bool(m) and name.casefold() in m.group(1).casefold()


def role_words(words: Iterable[str]) -> list[str]:
    """Role words with synonyms folded: "defense spokesman" → ["defence", "spokesperson"]."""
    return [ROLE_SYNONYMS.get(w, w) for w in words]


def surname(name: str) -> str | None:
    """The last word of a person's name of two or more words (suffixes like "Jr." skipped)."""
    ws = [w for w in name_words(name) if w not in TITLES]
    while ws and ws[-1] in ("jr", "sr", "ii", "iii", "iv"):
        ws.pop()
    return ws[-1] if len(ws) >= 2 else None


def bare_name(name: str) -> str | None:
    """A one-word name once titles are dropped ("Captain Nambiar" → "nambiar"), else None."""
    ws = [w for w in name_words(name) if w not in TITLES]
    return ws[0] if len(ws) == 1 else None


def same_surname(a: str, b: str) -> bool:
    """One surname, or two transliterations of it one letter apart ("alishvandi"/"alishbandi")."""
    if a == b:
        return True
    if min(len(a), len(b)) < MIN_FUZZY_LETTERS or a[0] != b[0]:
        return False
    return SequenceMatcher(None, a, b).ratio() >= FUZZY_SURNAME


def initials(name: str) -> str | None:
    """ "National Transportation Safety Board" → "ntsb"; None for a name of one word."""
    ws = [w for w in _WORD.findall(name) if w.casefold() not in _STOP_IN_NAMES]
    if len(ws) < 2:
        return None
    return "".join(w[0] for w in ws).casefold()


def acronym(name: str) -> str | None:
    """ "NTSB", "the F.B.I." → "ntsb", "fbi"; None unless the name is one all-capital word."""
    text = re.sub(r"^(?:the\s+)", "", name.strip(), flags=re.IGNORECASE).replace(".", "")
    return text.casefold() if re.fullmatch(r"[A-Z]{2,7}", text) else None
