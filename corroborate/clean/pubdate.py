"""Publication date of a page: the metadata users complain about most in every extractor.

A wrong date misplaces a report on the story's timeline, so we combine several kinds of
evidence and take the most trustworthy one, instead of one heuristic search (htmldate alone
scores about 0.87 day accuracy on trafilatura's own evaluation pages). The order, from most
to least trusted, and why:

1. "json-ld": the publisher's structured `datePublished` (or `dateCreated`) of the article.
   Written by the CMS for search engines, so it names the article, not the page chrome.
2. "meta": explicit publication metas (`article:published_time`, `itemprop=datePublished`,
   Dublin Core `issued`, ...). Same origin as JSON-LD, used when there is none.
3. "byline": the date shown in the article's own header (a `<time>` element or an element
   whose class says date/time/published), read as a person would read it. It comes after
   the structured data because it is harder to locate, but before the weak metas below.
4. "url": a full /yyyy/mm/dd/ date in the URL; set at publication and never rewritten.
5. "meta-generic": `<meta name="date">`, `dcterms.date` and the like. Many CMSs (TYPO3,
   Drupal) fill these with the page's last change, so they only count when nothing above
   spoke.
6. "htmldate": trafilatura's htmldate result (original date, extensive search) as fallback.

Modification dates (`dateModified`, `og:updated_time`) are never used: a correction made
months later is not when the story was published. Every candidate must lie between 1995 and
tomorrow; dates outside that window are typos, copyright years or "next event" dates.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateutil_parser
from lxml.html import HtmlElement

MIN_DATE = date(1995, 1, 1)  # no news page we can read is older than the web's mass use


def parse_iso_date(value: str | None) -> datetime | None:
    """Parse an ISO-like date string, or None when it is missing or unparseable."""
    if not value:
        return None
    try:
        return dateutil_parser.isoparse(value.strip())
    except (ValueError, OverflowError):
        try:
            return dateutil_parser.parse(value.strip())
        except (ValueError, OverflowError):
            return None


# --- structured values ------------------------------------------------------------------------

# Zone abbreviations news sites print; dateutil knows only UTC/GMT and would warn and drop them.
_TZ_ABBREVIATIONS = {
    name: hours * 3600
    for name, hours in {
        "UTC": 0, "GMT": 0, "WET": 0, "BST": 1, "WEST": 1, "CET": 1, "MEZ": 1, "CEST": 2,
        "MESZ": 2, "EET": 2, "EEST": 3, "MSK": 3, "IST": 5.5, "JST": 9, "KST": 9,
        "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    }.items()
}

_ISO_START = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_structured_date(value: str | None) -> datetime | None:
    """A machine-written date (JSON-LD, meta content, `datetime` attribute), or None.

    ISO 8601 first; then dateutil for RFC 2822 and other English forms ("Wed, 04 May 2022
    02:41:00 GMT"), but never dateutil's guesses on purely numeric day/month orders
    ("10/05/2022" is May in Caracas and October in Chicago).
    """
    if not value:
        return None
    value = value.strip()
    if not value or len(value) > 80:
        return None
    m = _ISO_START.match(value)
    if m:
        try:
            return dateutil_parser.isoparse(value)
        except (ValueError, OverflowError):
            try:  # "2022-5-5 22:17:36", "2019-12-09 20:00:49": keep the day, drop the rest
                return datetime(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    if not re.search(r"[A-Za-z]{3}", value):
        return None  # numeric but not ISO: ambiguous order, not trusted
    # dateutil's default fills missing fields from today, which would invent a day.
    sentinel = datetime(1, 1, 1)
    try:
        parsed = dateutil_parser.parse(
            value, default=sentinel, fuzzy=True, tzinfos=_TZ_ABBREVIATIONS
        )
    except (ValueError, OverflowError):
        return None
    if parsed.year == 1 or not re.search(r"\d{4}", value):
        return None
    return parsed


# --- dates written for people -----------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    (
        "january jan januar jänner janvier enero gennaio janeiro januari styczeń stycznia",
        "february feb februar février fevrier febrero febbraio fevereiro februari luty lutego",
        "march mar märz maerz mars marzo março maart marca marzec",
        "april apr avril abril aprile kwiecień kwietnia",
        "may mai mayo maggio maio mei maj maja",
        "june jun juni juin junio giugno junho czerwiec czerwca",
        "july jul juli juillet julio luglio julho lipiec lipca",
        "august aug août aout agosto augustus sierpień sierpnia",
        "september sep sept septembre septiembre setiembre settembre setembro wrzesień września",
        "october oct okt oktober octobre octubre ottobre outubro październik października",
        "november nov novembre noviembre novembro listopad listopada",
        "december dec dez dezember décembre decembre diciembre dicembre dezembro grudzień grudnia",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _num

_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_SEP = r"[\s\u00a0\u2009\u202f]*"
# "4. 2. 2022", "05.02.2020", "2020-02-05", "2020/02/05"
_NUMERIC_DMY = re.compile(rf"(?<!\d)(\d{{1,2}})\.{_SEP}(\d{{1,2}})\.{_SEP}((?:19|20)\d{{2}})(?!\d)")
_NUMERIC_YMD = re.compile(r"(?<!\d)((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_SLASH_DMY = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?!\d)")
# "31. Oktober 2023", "3 May, 2022", "22 de janeiro de 2018", "Nov. 19, 2019"
_DAY_MONTH_YEAR = re.compile(
    rf"(?<![\w.])(\d{{1,2}})(?:\.|er|st|nd|rd|th)?{_SEP}(?:de{_SEP})?({_MONTH_RE})\.?,?{_SEP}"
    rf"(?:de{_SEP})?((?:19|20)\d{{2}})(?!\d)",
    re.I,
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?<!\w)({_MONTH_RE})\.?{_SEP}(\d{{1,2}})(?:st|nd|rd|th)?,?{_SEP}((?:19|20)\d{{2}})(?!\d)",
    re.I,
)


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_visible_date(text: str) -> date | None:
    """The first full date (day, month, year) written in `text` for readers, or None.

    Dotted numbers are day-first everywhere they are used ("05.02.2020" is 5 February);
    slashed numbers are read only when the order is unambiguous (a part above 12), since
    "10/05/2022" means May in Europe and October in the US.
    """
    text = text.strip()
    if not text:
        return None
    found: list[tuple[int, date]] = []
    for m in _DAY_MONTH_YEAR.finditer(text):
        d = _make_date(int(m[3]), _MONTHS[m[2].casefold()], int(m[1]))
        if d:
            found.append((m.start(), d))
            break
    for m in _MONTH_DAY_YEAR.finditer(text):
        d = _make_date(int(m[3]), _MONTHS[m[1].casefold()], int(m[2]))
        if d:
            found.append((m.start(), d))
            break
    for m in _NUMERIC_YMD.finditer(text):
        d = _make_date(int(m[1]), int(m[2]), int(m[3]))
        if d:
            found.append((m.start(), d))
            break
    for m in _NUMERIC_DMY.finditer(text):
        d = _make_date(int(m[3]), int(m[2]), int(m[1]))
        if d:
            found.append((m.start(), d))
            break
    for m in _SLASH_DMY.finditer(text):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        d = _make_date(y, b, a) if a > 12 else _make_date(y, a, b) if b > 12 else None
        if d:
            found.append((m.start(), d))
            break
    return min(found)[1] if found else None


# --- the URL ----------------------------------------------------------------------------------

_URL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?:[/_.-]|$)"
)
_URL_DATE_COMPACT = re.compile(r"/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])/")


def date_from_url(url: str | None) -> date | None:
    """A full date in the URL path (/2019/11/19/, /2019-11-19-, /20191119/), or None."""
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    m = _URL_DATE.search(path) or _URL_DATE_COMPACT.search(path)
    return _make_date(int(m[1]), int(m[2]), int(m[3])) if m else None


# --- candidates from the tree -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DateEvidence:
    """One publication date a page claims, and which kind of evidence said so."""

    value: datetime
    via: str


_ARTICLE_TYPES = re.compile(r"article|posting|report|news|blog|review|story", re.I)
_LD_PUBLISHED = ("datePublished", "dateCreated")


def _walk_json(node: object, depth: int = 0):
    if depth > 8:
        return
    if isinstance(node, dict):
        yield node
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if key in node:
                yield from _walk_json(node[key], depth + 1)
    elif isinstance(node, list):
        for item in node[:50]:
            yield from _walk_json(item, depth + 1)


def json_ld_dates(tree: HtmlElement) -> list[DateEvidence]:
    """datePublished (else dateCreated) of the article objects in the page's JSON-LD.

    Article-like types come first: a page's JSON-LD often also describes the WebPage or
    the WebSite, whose dates are those of the page, not of the report.
    """
    articles: list[DateEvidence] = []
    others: list[DateEvidence] = []
    for script in tree.xpath('//script[@type="application/ld+json"]')[:20]:
        raw = (script.text or "").strip()
        if not raw or len(raw) > 500_000:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        for obj in _walk_json(data):
            kind = obj.get("@type", "")
            kind = " ".join(kind) if isinstance(kind, list) else str(kind)
            for key in _LD_PUBLISHED:
                value = obj.get(key)
                parsed = parse_structured_date(value) if isinstance(value, str) else None
                if parsed:
                    bucket = articles if _ARTICLE_TYPES.search(kind) else others
                    bucket.append(DateEvidence(parsed, "json-ld"))
                    break
    return articles + others


# Explicit publication metas, most specific first (property, name or itemprop, lower case).
_META_PUBLISHED = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "datepublished", "article.published", "article_date_original", "publication_date",
    "publish-date", "publish_date", "publishdate", "pubdate", "og:pubdate",
    "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued",
    "citation_publication_date", "citation_date", "date_published", "originalpublicationdate",
    "cxenseparse:recs:publishtime", "vr:published-time", "published-date", "created",
)
# Weak: often the page's last change in the CMS, not the article's publication.
_META_GENERIC = ("date", "dc.date", "dcterms.date", "dc.date.created", "dcterms.created",
                 "last-modified")


def _meta_map(tree: HtmlElement) -> dict[str, str]:
    out: dict[str, str] = {}
    for meta in tree.xpath("//meta[@content]")[:500]:
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or ""
        key = key.strip().casefold()
        if key and key not in out:
            out[key] = meta.get("content") or ""
    return out


def meta_dates(tree: HtmlElement, metas: dict[str, str] | None = None) -> list[DateEvidence]:
    """Publication dates from explicit metas and microdata, most specific first."""
    metas = _meta_map(tree) if metas is None else metas
    found: list[DateEvidence] = []
    for key in _META_PUBLISHED:
        parsed = parse_structured_date(metas.get(key))
        if parsed:
            found.append(DateEvidence(parsed, "meta"))
    for el in tree.xpath('//*[@itemprop="datePublished"][not(self::meta)]')[:5]:
        parsed = parse_structured_date(el.get("datetime") or el.get("content"))
        if parsed:
            found.append(DateEvidence(parsed, "meta"))
    return found


def generic_meta_dates(metas: dict[str, str]) -> list[DateEvidence]:
    """Dates from metas that may be the page's last change (used only when nothing else)."""
    found = []
    for key in _META_GENERIC:
        parsed = parse_structured_date(metas.get(key))
        if parsed:
            found.append(DateEvidence(parsed, "meta-generic"))
    return found


# Where a page shows its date to readers: <time>, or an element whose class or id says so.
_DATE_CLASS = re.compile(
    r"date|datum|time|publish|posted|byline|dateline|meta|fecha|data-pub",
    re.I,
)
# Containers whose dates are not the article's: navigation, comments, teaser lists. Matched
# as whole words of a class or id ("subnav" and "no-sidebars" on <body> do not count).
_NOT_ARTICLE = re.compile(
    r"(?<![a-z])(?:comments?|kommentare?|related\w*|teasers?|sidebar|widgets?|footer|nav|"
    r"navbar|navigation|menu|mega-menu|breadcrumbs?|archive|calendar|weather|ticker|"
    r"recommended|popular|trending|events?|topicarea\w*|more)(?![a-z])",
    re.I,
)
# A date labelled as a later change or a last reply is not the publication.
_NOT_PUBLICATION = re.compile(
    r"updated?|aktualisiert|geändert|modifi|letzte[rs]?|last|mis à jour|actualizado|"
    r"atualizado|aggiornato",
    re.I,
)
_BYLINE_START = re.compile(r"\s*(?:von|by|par|por|door|av|di)\s+\w", re.I)
_VISIBLE_SCAN = 4000  # elements: the article header sits near the top of its container
_VISIBLE_MAX_CHARS = 120  # a date element holds a date and a few words, not a paragraph


def _in_page_chrome(el: HtmlElement, stop: HtmlElement) -> bool:
    """True inside navigation, comments, related lists or a footer: not the article's date."""
    node = el
    while node is not None and node is not stop:
        # blockquote and figure hold embedded posts and captions, dated by someone else
        if node.tag in ("nav", "footer", "aside", "blockquote", "figure"):
            return True
        label = f"{node.get('class', '')} {node.get('id', '')}"
        if label.strip() and _NOT_ARTICLE.search(label):
            return True
        node = node.getparent()
    return False


def _article_scopes(tree: HtmlElement) -> list[HtmlElement]:
    """Where to look, narrowest first: the <article> holding the headline, <main>, <body>.

    Teaser lists above the article also show dates; inside the article's own container the
    first date is the article's.
    """
    scopes: list[HtmlElement] = []
    h1 = next(iter(tree.iter("h1")), None)
    if h1 is not None:
        scopes += [a for a in h1.iterancestors("article")][-1:]
    scopes += tree.xpath("//main")[:1]
    body = tree.find("body")
    if body is not None:
        scopes.append(body)
    return scopes


def _first_visible_date(scope: HtmlElement) -> DateEvidence | None:
    for scanned, el in enumerate(scope.iter("time", "span", "div", "p", "li", "abbr", "small",
                                            "em", "strong")):
        if scanned > _VISIBLE_SCAN:
            break
        is_time = el.tag == "time"
        if not is_time:
            label = f"{el.get('class', '')} {el.get('id', '')}"
            labelled = bool(label.strip()) and _DATE_CLASS.search(label) is not None
            # An unlabelled byline still says who and when: "von Anna am 20.09.2020".
            if not labelled and not _BYLINE_START.match(el.text or ""):
                continue
        text = " ".join(el.text_content().split())
        if len(text) > _VISIBLE_MAX_CHARS or _NOT_PUBLICATION.search(
            f"{text} {el.get('class', '')}"
        ):
            continue
        machine = parse_structured_date(el.get("datetime")) if is_time else None
        shown = parse_visible_date(text)
        if shown is None and machine is None:
            continue
        if _in_page_chrome(el, scope):
            continue
        if machine is not None and (shown is None or machine.date() == shown):
            return DateEvidence(machine, "byline")
        assert shown is not None
        return DateEvidence(datetime(shown.year, shown.month, shown.day), "byline")
    return None


def visible_dates(tree: HtmlElement) -> list[DateEvidence]:
    """The date shown in the article header, read from the page's visible text.

    The first `<time>` or date-labelled element in document order that is not in
    navigation, comments or related-article lists, and not labelled as an update. A
    `<time datetime>` keeps its machine value (time and offset) when it agrees with the
    visible day or has no visible text.
    """
    for scope in _article_scopes(tree):
        found = _first_visible_date(scope)
        if found is not None:
            return [found]
    return []


# --- choosing ---------------------------------------------------------------------------------


def _plausible(value: datetime, today: date) -> bool:
    return MIN_DATE <= value.date() <= today + timedelta(days=1)


# Countries under one time zone, by their URL's country-code domain. A bare UTC timestamp
# from such an outlet is shown to its readers on the local day ("2022-05-04T02:41Z" is
# 3 May in Bolivia). Countries spanning several zones (us, ca, br, ru, au, mx) are absent.
_COUNTRY_TZ = {
    "de": "Europe/Berlin", "at": "Europe/Vienna", "ch": "Europe/Zurich", "fr": "Europe/Paris",
    "it": "Europe/Rome", "es": "Europe/Madrid", "nl": "Europe/Amsterdam",
    "be": "Europe/Brussels", "pl": "Europe/Warsaw", "uk": "Europe/London",
    "ie": "Europe/Dublin", "se": "Europe/Stockholm", "no": "Europe/Oslo",
    "dk": "Europe/Copenhagen", "fi": "Europe/Helsinki", "cz": "Europe/Prague",
    "hu": "Europe/Budapest", "gr": "Europe/Athens", "jp": "Asia/Tokyo", "kr": "Asia/Seoul",
    "in": "Asia/Kolkata", "bo": "America/La_Paz", "ve": "America/Caracas",
    "co": "America/Bogota", "pe": "America/Lima", "ar": "America/Argentina/Buenos_Aires",
    "uy": "America/Montevideo", "jm": "America/Jamaica", "hn": "America/Tegucigalpa",
    "sv": "America/El_Salvador", "gt": "America/Guatemala", "tn": "Africa/Tunis",
    "ng": "Africa/Lagos", "za": "Africa/Johannesburg",
}


def _country_zone(url: str | None) -> tzinfo | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    name = _COUNTRY_TZ.get(host.rsplit(".", 1)[-1])
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _local_offset(evidence: list[DateEvidence]) -> tzinfo | None:
    """The page's own non-UTC offset, if any of its machine dates carries one."""
    for ev in evidence:
        off = ev.value.utcoffset() if ev.value.tzinfo else None
        if off:
            return ev.value.tzinfo
    return None


ORDER = ("url", "byline", "meta", "json-ld", "meta-generic", "htmldate")


def find_published(
    tree: HtmlElement,
    url: str | None = None,
    htmldate_value: str | None = None,
    today: date | None = None,
) -> tuple[datetime | None, str | None]:
    """The page's publication date and the evidence for it, or (None, None).

    A UTC timestamp is moved to the page's own offset when the page shows one elsewhere
    (else to its country's zone, see _COUNTRY_TZ): "2022-05-04T03:37Z" is 3 May for a
    newsroom at UTC-4, and that is the day its readers saw on the article. Midnight UTC is
    left alone: it is a bare day written as a timestamp, and moving it west would shift it.
    """
    today = today or datetime.now(UTC).date()
    metas = _meta_map(tree)
    url_day = date_from_url(url)
    htmldate_dt = parse_iso_date(htmldate_value)
    sources = {
        "url": [DateEvidence(datetime(url_day.year, url_day.month, url_day.day), "url")]
        if url_day else [],
        "json-ld": json_ld_dates(tree),
        "meta": meta_dates(tree, metas),
        "byline": visible_dates(tree),
        "meta-generic": generic_meta_dates(metas),
        "htmldate": [DateEvidence(htmldate_dt, "htmldate")] if htmldate_dt else [],
    }
    ordered = [ev for name in ORDER for ev in sources[name]]
    chosen = next((ev for ev in ordered if _plausible(ev.value, today)), None)
    if chosen is None:
        return None, None
    value = chosen.value
    if value.tzinfo is not None and not value.utcoffset() and value.time() != time(0, 0):
        local = _local_offset(ordered) or _country_zone(url)
        if local is not None:
            value = value.astimezone(local)
    return value, chosen.via


__all__ = [
    "DateEvidence",
    "date_from_url",
    "find_published",
    "parse_iso_date",
    "parse_structured_date",
    "parse_visible_date",
]
