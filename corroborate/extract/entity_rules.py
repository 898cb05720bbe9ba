"""What spaCy's small model lacks: media outlets and news agencies as their own entity kind.

The small model tags "TV Chosun" as a person and misses most agencies, yet outlets are
what corroboration counts. An entity ruler placed before the statistical NER marks them
first: a list of well-known outlets and agencies (public facts), plus shape patterns that
name a broadcaster or paper ("TV Chosun", "Radio Scheldeland", "the Korea Herald").
"""

from __future__ import annotations

from spacy.language import Language

OUTLET_LABEL = "OUTLET"

# Well-known outlets and agencies, as they are written in running text.
KNOWN_OUTLETS = (
    "Reuters", "Associated Press", "AP", "Agence France-Presse", "AFP", "Bloomberg",
    "BBC", "CNN", "Al Jazeera", "Yonhap", "Yonhap News Agency", "KCNA",
    "Korean Central News Agency", "TASS", "RIA Novosti", "Interfax", "Xinhua", "Kyodo",
    "Kyodo News", "NHK", "DPA", "ANSA", "EFE", "Ukrinform", "Kyiv Independent",
    "New York Times", "The New York Times", "Washington Post", "The Washington Post",
    "Wall Street Journal", "The Wall Street Journal", "Financial Times", "The Guardian",
    "The Times", "The Telegraph", "The Economist", "Politico", "Fox News", "NBC News",
    "ABC News", "CBS News", "Sky News", "Deutsche Welle", "DW", "Euronews", "France 24",
    "Le Monde", "Der Spiegel", "Spiegel", "Nikkei", "South China Morning Post", "Axios",
    "NPR", "PBS", "USA Today", "Huffington Post", "HuffPost", "Breitbart", "The Hill",
    "Newsweek", "Time", "Haaretz", "Times of Israel", "Meduza", "Novaya Gazeta",
    "Chosun Ilbo", "JoongAng Ilbo", "Dong-A Ilbo", "Korea Herald", "Korea Times",
    "NK News", "Daily NK", "KBS", "MBC", "SBS", "TV Chosun", "Channel A", "JTBC",
)

# Words that make a proper-noun phrase a media outlet when they start or end it.
_MEDIA_HEADS = [
    "tv", "television", "radio", "times", "post", "news", "daily", "gazette", "herald",
    "journal", "tribune", "courier", "ledger", "telegraph", "chronicle", "wire", "press",
    "broadcasting", "ilbo",
]
_MEDIA_PREFIXES = ["tv", "radio", "channel"]


def outlet_patterns() -> list[dict[str, object]]:
    """EntityRuler patterns for outlets: the known list, then the shape rules."""
    patterns: list[dict[str, object]] = [
        {"label": OUTLET_LABEL, "pattern": name} for name in KNOWN_OUTLETS
    ]
    patterns.append({
        "label": OUTLET_LABEL,
        "pattern": [{"LOWER": {"IN": _MEDIA_PREFIXES}}, {"POS": "PROPN", "OP": "+",
                                                          "IS_TITLE": True}],
    })
    patterns.append({
        "label": OUTLET_LABEL,
        "pattern": [{"POS": "PROPN", "OP": "+", "IS_TITLE": True},
                    {"LOWER": {"IN": _MEDIA_HEADS}, "IS_TITLE": True}],
    })
    return patterns


def add_entity_rules(nlp: Language) -> None:
    """Put the outlet ruler in front of the statistical NER (idempotent)."""
    if "outlet_ruler" in nlp.pipe_names:
        return
    ruler = nlp.add_pipe("entity_ruler", name="outlet_ruler", before="ner",
                         config={"phrase_matcher_attr": None, "overwrite_ents": True})
    ruler.add_patterns(outlet_patterns())  # type: ignore[attr-defined]
