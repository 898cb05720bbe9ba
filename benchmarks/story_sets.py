"""Gold story sets for the clustering benchmark, as the Articles the product would see.

Why a module of its own: three public corpora say which news reports belong to one story,
each in its own format (ECB+ token XML, BASIL JSON, NewsWCL50 CoNLL). These loaders turn each
into `GoldDoc`s (an id, the gold story, an `Article`) in the order a stream would deliver
them: publication order where a date is known, file order among equal dates, and undated
documents after the dated ones, in file order. Nothing is downloaded and nothing printed;
the data (read-only) are in ../shared/data/stories/, each set with its README and licence.

    .venv/bin/python benchmarks/story_sets.py    # per set: docs, stories, dated docs, words

What each loader establishes, and what it does not invent:

  ecbplus   ECB+ (Cybulska & Vossen 2014), topics as asked (1-25 tune, 26-35 held out; 15 and
            17 do not exist and are skipped). Gold story = topic + half: "3_ecb" (the original
            ECB documents) or "3_ecbplus" (the 2014 additions about a similar, different event).
            Text = the tokens detokenized (our rules below). The ecbplus files' sentence 0 is
            the page's URL, added by the annotators: dropped (kept as a removal), and not used
            as Article.url, because only one half has it. No metadata title or date: in the
            first four sentences, a short line that is only a date ("Published: March 3,
            2011") is the dateline (publication date, day only; month names or unambiguous
            numbers only) and the first other line is the title if it reads as a headline
            (no sentence-final punctuation, 2-25 words); else no title. Both leave the text.
            Outlet None.
  basil     BASIL (Fan et al. 2019): title, date (per article), url and outlet from the JSON
            (outlet codes nyt/fox/hpo as the outlets' domains); gold = triplet-uuid;
            paragraphs as given. Ids are file names: some articles' "uuid" is "empty".
  newswcl50 NewsWCL50 (Hamborg et al. 2019) as tokenized by Zhukova et al. 2022 (CoNLL):
            gold = event id; the URL from urls.tsv (outlet = its host, date = a /yyyy/mm/dd/
            date in its path, else none: HuffPost's /entry/ URLs have none); the literal "\\n"
            tokens are the article's line breaks; the first line is the headline when it is
            at most 25 words (48 of 50; two NYT texts start with the dateline paragraph).
"""

from __future__ import annotations

import csv
import json
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere, against this checkout

from corroborate.clean.pubdate import date_from_url, parse_visible_date  # noqa: E402
from corroborate.records import Article, DocFormat, Removal  # noqa: E402

STORIES = ROOT.parent / "shared" / "data" / "stories"
TUNING_TOPICS = range(1, 26)  # ECB+ topics the clustering may be tuned on
HELD_OUT_TOPICS = range(26, 36)
EXTRACTOR = "benchmarks/story_sets.py"


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One document of a gold set: its id in the set, its gold story, the article itself."""

    doc_id: str
    gold: str
    article: Article


# --- ECB+ -------------------------------------------------------------------------------------

_ECB_FILE = re.compile(r"^(\d+)_(\d+)(ecb|ecbplus)\.xml$")
_HEADER_SENTENCES = 4  # title and dateline, where present, are among the first sentences
_URL_LINE = re.compile(r"^(https?\s*:|www\s*\.)", re.I)


def ecbplus(topics: Iterable[int], root: Path = STORIES) -> list[GoldDoc]:
    """ECB+ documents of these topics; gold story = "<topic>_ecb" or "<topic>_ecbplus"."""
    folder = _require(root / "ecbplus" / "ECB+")
    paths: list[tuple[tuple[int, int, bool], Path]] = []
    for topic in sorted(set(topics)):
        for path in (folder / str(topic)).glob("*.xml"):
            if m := _ECB_FILE.match(path.name):
                paths.append(((int(m[1]), int(m[2]), m[3] == "ecbplus"), path))
    docs = []
    for (topic, _, plus), path in sorted(paths):  # file order: topic, number, ecb before plus
        half = "ecbplus" if plus else "ecb"
        docs.append(GoldDoc(path.stem, f"{topic}_{half}", _ecb_article(path)))
    return _feed_order(docs)


def _ecb_article(path: Path) -> Article:
    by_sentence: dict[int, list[str]] = defaultdict(list)
    for token in ET.parse(path).getroot().iter("token"):
        by_sentence[int(token.get("sentence", "0"))].append(token.text or "")
    sentences = [s for s in (detokenize(by_sentence[k]) for k in sorted(by_sentence)) if s]
    removed: list[Removal] = []
    if sentences and _URL_LINE.match(sentences[0]):
        removed.append(Removal(sentences.pop(0), "source URL line (ECB+ sentence 0)"))
    title, published, header = _ecb_header(sentences)
    if published is not None:
        removed.append(Removal(sentences[header["dateline"]],
                               "dateline (kept as publication date)"))
    body = [s for i, s in enumerate(sentences) if i not in header.values()]
    return Article(
        source=f"ecbplus:{path.name}",
        format=DocFormat.TEXT,
        text=_join_sentences(body),
        title=title,
        published=published,
        published_via="dateline" if published else None,
        language="en",
        removed=tuple(removed),
        extractor=EXTRACTOR,
    )


def _ecb_header(sentences: list[str]) -> tuple[str | None, datetime | None, dict[str, int]]:
    """Title and dateline among the first sentences, and where they were.

    The title is the first line there that is neither the dateline nor a time stamp we
    cannot date ("4/5/12 at 9:10 AM"), if it reads as a headline and text remains after it.
    """
    zone = sentences[:_HEADER_SENTENCES]
    found: dict[str, int] = {}
    published = None
    for i, sentence in enumerate(zone):
        if (day := dateline_date(sentence)) is not None:
            published = datetime(day.year, day.month, day.day)
            found["dateline"] = i
            break
    first = next((i for i, s in enumerate(zone)
                  if i != found.get("dateline") and not _is_stamp(s)), None)
    title = None
    if first is not None and is_headline(sentences[first]) and len(sentences) > len(found) + 1:
        title = sentences[first]
        found["title"] = first
    return title, published, found


# Words a dateline carries besides the date: months, weekdays, "Posted on", "Last updated at".
_DATELINE_WORDS = frozenset(" ".join((
    "january february march april may june july august september october november december",
    "jan feb mar apr jun jul aug sep sept oct nov dec",
    "published posted updated last first edited time date found on at by and",
    "monday tuesday wednesday thursday friday saturday sunday",
    "mon tue tues wed thu thur thurs fri sat sun",
)).split())
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")


def dateline_date(line: str) -> date | None:
    """The date of a short line that is only a date (and time, zone, "Posted on"), or None.

    Only dates a reader cannot misread count (`parse_visible_date`: month names, or numbers
    whose order is unambiguous), so "03/04/11" gives nothing rather than a guess.
    """
    if len(line) > 80:
        return None
    day = parse_visible_date(line)
    if day is None:
        return None
    other = [w for w in re.findall(r"[A-Za-z]{3,}", line)
             if w.casefold() not in _DATELINE_WORDS
             and not (w.isupper() and len(w) <= 4)]  # time zones: EDT, GMT, AEST
    return day if len(other) <= 2 else None


_STAMP = re.compile(r"\d{1,2}:\d{2}|\d{1,2}/\d{1,2}/\d{2,4}")


def _is_stamp(line: str) -> bool:
    """A short line of date and time that is no headline: "Updated 7:15 PM", "MAR 3"."""
    words = [w.strip(",.:;|@-").casefold() for w in line.split()]
    if len(words) > 10:
        return False
    return bool(_STAMP.search(line)) or all(w in _DATELINE_WORDS or w.isdigit() for w in words)


def is_headline(line: str) -> bool:
    """A line that reads as a headline: 2-25 words, no sentence-final punctuation."""
    words = line.split()
    return 2 <= len(words) <= 25 and not _SENTENCE_END.search(line)


# --- BASIL ------------------------------------------------------------------------------------

_OUTLETS = {"nyt": "nytimes.com", "fox": "foxnews.com", "hpo": "huffingtonpost.com"}


def basil(root: Path = STORIES) -> list[GoldDoc]:
    """BASIL's 300 articles; gold story = the triplet (one event, three outlets)."""
    folder = _require(root / "basil" / "articles")
    docs = []
    for path in sorted(folder.glob("*/*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = [" ".join(s.strip() for s in p if s.strip()) for p in
                      record["body-paragraphs"]]
        day = date.fromisoformat(record["date"]) if record.get("date") else None
        code = record["source"].casefold()
        article = Article(
            source=f"basil:{path.parent.name}/{path.name}",
            format=DocFormat.TEXT,
            text="\n\n".join(p for p in paragraphs if p),
            title=record.get("title") or None,
            outlet=_OUTLETS.get(code, code),
            url=record.get("url") or None,
            published=datetime(day.year, day.month, day.day) if day else None,
            published_via="metadata" if day else None,
            language="en",
            extractor=EXTRACTOR,
        )
        docs.append(GoldDoc(path.stem, record["triplet-uuid"], article))
    return _feed_order(docs)


# --- NewsWCL50 --------------------------------------------------------------------------------

_LINE_BREAK = "\\n"  # the CoNLL file writes the articles' line breaks as this token


def newswcl50(root: Path = STORIES) -> list[GoldDoc]:
    """NewsWCL50's 50 articles; gold story = the event (one of ten, five outlets each)."""
    folder = _require(root / "newswcl50")
    urls: dict[str, str] = {}
    with (folder / "original" / "urls.tsv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            urls[f"{row['Event ID']}_{row['Outlet']}"] = row["URL"].strip()
    docs = []
    for key, sentences in _conll_documents(folder / "cdcr_conll" / "NewsWCL50.conll").items():
        name = key.rsplit("/", 1)[-1]  # "0/-/0_LL" -> "0_LL"
        event = name.split("_", 1)[0]
        url = urls.get(name)
        lines = _lines(sentences)
        title = lines.pop(0) if lines and len(lines[0].split()) <= 25 else None
        day = date_from_url(url)
        host = urlsplit(url).hostname if url else None
        article = Article(
            source=f"newswcl50:{name}",
            format=DocFormat.TEXT,
            text="\n\n".join(lines),
            title=title,
            outlet=host.removeprefix("www.") if host else None,
            url=url,
            published=datetime(day.year, day.month, day.day) if day else None,
            published_via="url" if day else None,
            language="en",
            extractor=EXTRACTOR,
        )
        docs.append(GoldDoc(name, event, article))
    return _feed_order(docs)


# --- Giveme5W1H news_cluster (development half) ---------------------------------------------


def giveme_dev(root: Path = STORIES) -> list[GoldDoc]:
    """The development half of Giveme5W1H's news_cluster: 151 news-please records of 31
    events; gold story = `newsCluster.EventId`, taken out before the product sees a record.
    Title, text, url, outlet (the record's `source_domain`) and `date_publish` (some are
    crawl dates: the set's README says so) are what news-please gave."""
    folder = _require(root / "giveme5w1h-dev" / "data")
    docs = []
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        gold = record.pop("newsCluster")["EventId"]
        published = record.get("date_publish")
        when = datetime.fromisoformat(published) if published and published != "None" \
            else None
        host = record.get("source_domain") or None
        article = Article(
            source=f"giveme5w1h:{path.stem}",
            format=DocFormat.TEXT,
            text=record.get("text") or "",
            title=record.get("title") or None,
            outlet=host.removeprefix("www.") if host else None,
            url=record.get("url") or None,
            published=when,
            published_via="metadata" if when else None,
            language=record.get("language") or "en",
            extractor=EXTRACTOR,
        )
        docs.append(GoldDoc(path.stem, str(gold), article))
    return _feed_order(docs)


def _conll_documents(path: Path) -> dict[str, list[list[str]]]:
    """Document key -> its sentences' tokens, in file order."""
    docs: dict[str, dict[int, list[str]]] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            key, sentence, _, token, *_ = line.rstrip("\n").split("\t")
            docs.setdefault(key, {}).setdefault(int(sentence), []).append(token)
    return {key: [s[k] for k in sorted(s)] for key, s in docs.items()}


def _lines(sentences: list[list[str]]) -> list[str]:
    """The article's lines: a line-break token ends one; a quote may span its sentences."""
    lines: list[list[str]] = [[]]
    for token in (t for tokens in sentences for t in tokens):
        if token.strip() == _LINE_BREAK:
            lines.append([])
        else:
            lines[-1].append(token)
    return [text for text in map(detokenize, lines) if text]


# --- detokenizing -----------------------------------------------------------------------------

_CLOSERS = frozenset(",.;:!?%)]}…")
_OPENERS = frozenset("([{$£€#")
_CLITIC = re.compile(r"^(n['’]t|['’](s|re|ve|ll|d|m))$", re.I)
_APOSTROPHE_TAIL = re.compile(r"^(s|t|re|ve|ll|d|m)$", re.I)  # "won ’ t", "Mayor ' s"
_TRAILING_DIGITS = re.compile(r"\d+$")
_ALNUM_END = re.compile(r"\w$")
_ALNUM_START = re.compile(r"^\w")


def detokenize(tokens: Sequence[str]) -> str:
    """Tokens back to text: "U . S . officials do n't" -> "U.S. officials don't".

    Written for the two tokenizations in these sets: Penn-Treebank style (`` '' n't 's, the
    ECB half and NewsWCL50) and the ECB+ additions' style, which also splits hyphens, times,
    decimals and abbreviations ("well - known", "10 : 45", "3 . 2", "p . m ."). Ambiguous
    cases are settled by shape: a hyphen joins unless both sides are capitalized words
    ("Smith - Jones" stays spaced); straight quotes open and close in
    turn within the tokens given (a quote glued to a word counts); a lone ' after a word in s,
    with no other ' after it, is a plural possessive ("the players' union").
    """
    words: list[str] = []
    for token in (t.strip() for t in tokens):
        if token in ("'", "`") and words and words[-1] == token:
            words[-1] = token * 2  # "' '" is a split closing ''
        elif token:
            words.append(token)
    out: list[str] = []  # tokens, each with the space that goes before it
    glue_next = False
    quote_open = {'"': False, "'": False}
    for i, token in enumerate(words):
        prev = out[-1].lstrip() if out else ""
        nxt = words[i + 1] if i + 1 < len(words) else ""
        space = bool(out) and not glue_next
        glue_next = False
        kind = _quote_kind(token)
        if kind and _ALNUM_END.search(prev) and _APOSTROPHE_TAIL.match(nxt) and kind == "'":
            space, glue_next = False, True  # "won ’ t", "Mayor ' s"
        elif kind:
            if token in ("“", "‘", "``", "`"):
                opening = True
            elif token in ("”", "’", "''") or quote_open[kind] or not nxt:
                opening = False
            else:
                opening = not (kind == "'" and prev[-1:] in ("s", "S")
                               and "'" not in words[i + 1:])
                if not opening:  # a plural possessive, no quote at all
                    space = False
                    out.append(token)
                    continue
            token = kind if token in ("``", "''", "`") else token
            quote_open[kind] = opening
            glue_next = opening
            space = space and opening
        elif token in _CLOSERS or _CLITIC.match(token):
            space = False
            if token in ".:," and _joins_numbers(prev, token, nxt):
                glue_next = True
            elif token == "." and _single_letter(prev) and _single_letter(nxt):
                glue_next = True  # "U . K ." -> "U.K.", "p . m ." -> "p.m."
        elif token == "/" or (token == "-" and _joins_hyphen(words, i)):
            space, glue_next = False, True
        else:
            if token.startswith("`"):  # "``Yes", "`Yes": opening quotes glued on
                token = ('"' if token.startswith("``") else "'") + token.lstrip("`")
            token = re.sub(r"^''(?=\w)|(?<=\w)''$", '"', token)  # "''Yes", "word''"
            for mark in ('"', "'"):  # a quote glued to a word: '"Good', 'news"'
                if token.startswith(mark) != token.endswith(mark) and not _CLITIC.match(token):
                    quote_open[mark] = token.startswith(mark)
        if token in _OPENERS:
            glue_next = True
        out.append((" " if space else "") + token)
    return "".join(out)


def _quote_kind(token: str) -> str | None:
    if token in ('"', "``", "''", "“", "”"):
        return '"'
    return "'" if token in ("'", "`", "‘", "’") else None


def _single_letter(token: str) -> bool:
    return len(token) == 1 and token.isalpha()


def _joins_numbers(prev: str, sep: str, nxt: str) -> bool:
    """ "10 : 45", "$4 . 5", "3 , 500": a separator inside one number or time."""
    digits = _TRAILING_DIGITS.search(prev)
    if digits is None or not nxt[:1].isdigit():
        return False
    if sep == ",":
        return re.match(r"^\d{3}(?!\d)", nxt) is not None
    return len(digits[0]) <= 2 if sep == ":" else len(digits[0]) <= 3  # not "in 1999 . 20"


def _joins_hyphen(words: Sequence[str], i: int) -> bool:
    """ "well - known", "10 - year - old", "State - Of - The - Art"; not "Smith - Jones"."""
    prev = words[i - 1] if i else ""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if not (_ALNUM_END.search(prev) and _ALNUM_START.search(nxt)):
        return False
    if prev[:1].islower() or nxt[:1].islower() or (prev[-1].isdigit() and nxt[0].isdigit()):
        return True
    return (i >= 2 and words[i - 2] == "-") or (i + 2 < len(words) and words[i + 2] == "-")


def _join_sentences(sentences: Sequence[str]) -> str:
    """Sentences run on; a line without final punctuation (a header, a label) ends a paragraph."""
    parts: list[str] = []
    for sentence in sentences:
        if parts:
            parts.append(" " if _SENTENCE_END.search(parts[-1]) else "\n\n")
        parts.append(sentence)
    return "".join(parts)


# --- shared -----------------------------------------------------------------------------------


def _feed_order(docs: list[GoldDoc]) -> list[GoldDoc]:
    """Publication order; file order among equal dates; the undated last, in file order."""
    return sorted(docs, key=lambda d: (d.article.published is None,
                                       d.article.published or datetime.min))


def _require(path: Path) -> Path:
    if not path.is_dir():
        raise FileNotFoundError(f"{path} is absent: the story sets live in ../shared/data/stories")
    return path


SETS: dict[str, Callable[[], list[GoldDoc]]] = {
    "ecb-train": lambda: ecbplus(TUNING_TOPICS),
    "ecb-test": lambda: ecbplus(HELD_OUT_TOPICS),
    "basil": basil,
    "newswcl50": newswcl50,
    "giveme-dev": giveme_dev,
}


ROW = "{:<10} {:>5} {:>7} {:>5} {:>6} {:>9.0f} {:>9} {:>5} {:>6.2f}"


def main() -> None:
    """Per set: documents, gold stories, dated and titled documents, mean words, duplicates."""
    header = ("set", "docs", "stories", "dated", "titled", "avg words", "dup texts", "empty",
              "load s")
    print(ROW.replace(".0f", "").replace(".2f", "").format(*header))
    for name, load in SETS.items():
        t0 = time.perf_counter()
        docs = load()
        seconds = time.perf_counter() - t0
        words = [len(d.article.text.split()) for d in docs]
        hashes = [d.article.text_hash for d in docs]
        row = (name, len(docs), len({d.gold for d in docs}),
               sum(d.article.published is not None for d in docs),
               sum(d.article.title is not None for d in docs),
               sum(words) / len(words) if words else 0.0,
               len(hashes) - len(set(hashes)), sum(w == 0 for w in words), seconds)
        print(ROW.format(*row))


if __name__ == "__main__":
    main()
