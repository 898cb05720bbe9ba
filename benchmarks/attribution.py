"""Attribution quality on PolNeAR: do we find who said what, and where the content is?

Why a script of our own: claims rest on their attribution chains, and the only way to know
whether the dependency rules in corroborate/extract/attribution.py find sources and
contents is to score them against a hand-annotated corpus. PolNeAR (Newell et al., LREC
2018) annotates Source, Cue and Content spans of every attribution in US political news.

    .venv/bin/python benchmarks/attribution.py [--split dev|train] [--limit N]
        [--cache DIR] [--examples N]

Rules are tuned on train only (`--split train`); dev is the default and the figure to
report; test is never read. Data (read-only): ../shared/data/attribution/polnear/.

What is compared. Gold: every attribution that has a Source span (the ones without one,
"is expected to", are left out, because we only predict attributions whose source the text
names; how many of those contents we overlap is printed apart). One annotator's file per
article (the first by name) when several annotated it. Predicted: the frames of
`find_attributions` that have a source and are outermost (PolNeAR is univocal: a token
belongs to at most one attribution, so "The Post reported that Klein said…" and an
"I think" inside a quotation are not annotated separately), on the article text as given
(title line included: PolNeAR annotates it too). Sources are compared as distinct spans
(one source span shared by three attributions, "the board said…, reasoning…, ruled…", is
one source); contents one per attribution. Spans are matched one to one, greedily, best
overlap first:

  exact        the same character offsets (whitespace at the ends ignored; a multi-part
               span must match part for part)
  any-overlap  the two spans share at least one word (a run of letters or digits of the
               text that both spans cover at least in part)
  proportional each pair scores the Dice coefficient of their word sets (2|A∩B|/(|A|+|B|));
               precision = sum of scores / predicted, recall = sum of scores / gold

Speed: words/s of spaCy + attribution together, and ms/article of our part alone
(find_attributions, then find_claims with no entity mentions).
"""

from __future__ import annotations

import argparse
import bisect
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere, against this checkout

from spacy.tokens import Doc, DocBin  # noqa: E402

from corroborate.extract.attribution import (  # noqa: E402
    VERB_CUES,
    Frame,
    find_attributions,
    outermost,
)
from corroborate.extract.claims import find_claims  # noqa: E402
from corroborate.extract.sources import resolve_sources  # noqa: E402
from corroborate.extract.spans import char_range  # noqa: E402
from corroborate.models import SPACY_MODEL, spacy_pipeline  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "attribution" / "polnear" / "data"

console = Console(width=None if sys.stdout.isatty() else 110)

Spans = tuple[tuple[int, int], ...]  # character ranges, one or more parts
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Gold:
    """One annotated attribution: its parts as character ranges."""

    source: Spans
    cue: Spans
    content: Spans


@dataclass(frozen=True, slots=True)
class Article:
    name: str
    text: str
    gold: tuple[Gold, ...]


def load_split(split: str, limit: int | None = None) -> list[Article]:
    """Articles of a split with one annotator's attributions each (brat standoff)."""
    folder = DATA / split
    seen: set[str] = set()
    out: list[Article] = []
    for ann in sorted((folder / "attributions").glob("*.ann")):
        name = re.sub(r"_[0-9a-f]{4}$", "", ann.stem)
        if name in seen:
            continue  # a second annotator of the same article
        seen.add(name)
        text = (folder / "text" / f"{name}.txt").read_text(encoding="utf-8")
        out.append(Article(name, text, tuple(_read_ann(ann))))
        if limit is not None and len(out) >= limit:
            break
    return out


def _read_ann(path: Path) -> Iterator[Gold]:
    spans: dict[str, Spans] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            _, offsets = parts[1].split(" ", 1)
            spans[parts[0]] = tuple(
                (int(a), int(b)) for a, b in (f.split() for f in offsets.split(";")))
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split()))
    for event in events:
        yield Gold(*(spans.get(event.get(role, ""), ()) for role in ("Source", "Cue", "Content")))


# --- matching -------------------------------------------------------------------------------


def _strip(text: str, spans: Spans) -> Spans:
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return tuple(out)


@lru_cache(maxsize=4)
def _word_index(text: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the text's words (runs of letters or digits)."""
    found = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    return [a for a, _ in found], [b for _, b in found]


def _words(text: str, spans: Spans) -> frozenset[int]:
    """The text's words a span touches, by index: a span's identity for overlap. A word
    counts when the span covers any character of it (a few gold offsets are shifted by
    a character or two: "epublican opponents")."""
    starts, ends = _word_index(text)
    out: set[int] = set()
    for a, b in spans:
        k = bisect.bisect_right(ends, a)  # first word ending after a
        while k < len(starts) and starts[k] < b:
            out.add(k)
            k += 1
    return frozenset(out)


@dataclass(slots=True)
class Score:
    """Matched counts under the three definitions, and the pairs for the error analysis."""

    predicted: int = 0
    gold: int = 0
    exact: int = 0
    overlap: int = 0
    dice: float = 0.0

    def prf(self, hits: float) -> tuple[float, float, float]:
        p = hits / self.predicted if self.predicted else 0.0
        r = hits / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def match(text: str, pred: Sequence[Spans], gold: Sequence[Spans],
          score: Score) -> dict[int, int]:
    """One-to-one matching by word overlap (largest first); adds to `score`.

    Returns predicted index -> gold index for the overlapping pairs.
    """
    pw = [_words(text, p) for p in pred]
    gw = [_words(text, g) for g in gold]
    pairs = []
    for i, a in enumerate(pw):
        for j, b in enumerate(gw):
            common = len(a & b)
            if common:
                pairs.append((2 * common / (len(a) + len(b)), i, j))
    pairs.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    out: dict[int, int] = {}
    for dice, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out[i] = j
        score.overlap += 1
        score.dice += dice
        score.exact += _strip(text, pred[i]) == _strip(text, gold[j])
    score.predicted += len(pred)
    score.gold += len(gold)
    return out


# --- error analysis -------------------------------------------------------------------------


@dataclass(slots=True)
class Errors:
    """Counts of what went wrong, with a few examples each."""

    kinds: Counter[str] = field(default_factory=Counter)
    missed_cues: Counter[str] = field(default_factory=Counter)
    false_cues: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, example: str, limit: int) -> None:
        self.kinds[kind] += 1
        shown = self.examples.setdefault(kind, [])
        if len(shown) < limit:
            shown.append(example)


def _boundary(text: str, pred: Spans, gold: Spans) -> str:
    """Why an overlapping span is not exact: too long, too short, or shifted."""
    p, g = _words(text, pred), _words(text, gold)
    if p == g:
        return "punctuation/quote marks only"
    if p > g:
        return "too long"
    if p < g:
        return "too short"
    return "shifted"


def _show(text: str, spans: Spans, width: int = 90) -> str:
    s = " | ".join(text[a:b] for a, b in spans).replace("\n", " ")
    return s if len(s) <= width else s[: width - 1] + "…"


# --- running --------------------------------------------------------------------------------


@dataclass(slots=True)
class Run:
    sources: Score = field(default_factory=Score)
    sources_per_attribution: Score = field(default_factory=Score)
    contents: Score = field(default_factory=Score)
    unsourced_contents: Score = field(default_factory=Score)
    errors: Errors = field(default_factory=Errors)
    articles: int = 0
    words: int = 0
    parse_s: float = 0.0
    frames_s: float = 0.0
    claims_s: float = 0.0
    unresolved: int = 0
    resolvable: int = 0


_PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "him", "her", "them"}


def score_article(art: Article, doc: Doc, frames: Sequence[Frame], run: Run,
                  examples: int) -> None:
    """Add one article's matches and errors to the run."""
    text = art.text
    sourced = outermost([f for f in frames if f.source is not None], doc)
    pred_con = [tuple(char_range(doc, r) for r in f.content) for f in sourced]
    gold = [g for g in art.gold if g.source and g.content]
    # Sources are compared as distinct spans: "the board" that said, reasoned and ruled is
    # one source mention, annotated once and shared by three attributions.
    pred_src, pred_first = _distinct([(char_range(doc, f.source),) for f in sourced
                                      if f.source])
    gold_src, gold_first = _distinct([g.source for g in gold])
    src_pairs = match(text, pred_src, gold_src, run.sources)
    match(text, [(char_range(doc, f.source),) for f in sourced if f.source],
          [g.source for g in gold], run.sources_per_attribution)
    con_pairs = match(text, pred_con, [g.content for g in gold], run.contents)
    unsourced = [g.content for g in art.gold if not g.source and g.content]
    match(text, pred_con, unsourced, run.unsourced_contents)

    err = run.errors
    matched_gold = set(src_pairs.values())
    for j, span in enumerate(gold_src):
        if j in matched_gold:
            continue
        g = gold[gold_first[j]]
        cue = " ".join(text[a:b] for a, b in g.cue).lower() or "(none)"
        cue_doc = doc.char_span(g.cue[0][0], g.cue[0][1], alignment_mode="expand") \
            if g.cue else None
        head = cue_doc.root if cue_doc is not None and len(cue_doc) else None
        if head is not None and head.pos_ == "VERB" and head.lemma_ not in VERB_CUES:
            kind = "missed: cue verb not in lexicon"
        elif head is not None and head.pos_ == "VERB":
            kind = "missed: cue verb known, frame not found (parse, no source or content)"
        else:
            kind = "missed: non-verb cue (noun, preposition, colon, adjective)"
        err.add(kind, f"[{cue}] {_show(text, span, 40)} :: {_show(text, g.content, 60)}",
                examples)
        err.missed_cues[head.lemma_.lower() if head is not None else cue] += 1
    for i, span in enumerate(pred_src):
        f = sourced[pred_first[i]]
        if i not in src_pairs:
            err.add("false source: no gold attribution there",
                    f"[{f.lemma}] {_show(text, span, 40)} :: "
                    f"{_show(text, pred_con[pred_first[i]], 60)}", examples)
            err.false_cues[f.lemma] += 1
            continue
        g_span = gold_src[src_pairs[i]]
        if _strip(text, span) != _strip(text, g_span):
            err.add(f"source boundary: {_boundary(text, span, g_span)}",
                    f"got «{_show(text, span, 50)}» gold «{_show(text, g_span, 50)}»",
                    examples)
    for i, j in con_pairs.items():
        g = gold[j]
        if _strip(text, pred_con[i]) != _strip(text, g.content):
            err.add(f"content boundary: {_boundary(text, pred_con[i], g.content)}",
                    f"got «{_show(text, pred_con[i])}»\n      gold «{_show(text, g.content)}»",
                    examples)
    matched_src = {pred_src[i] for i in src_pairs}
    for i, f in enumerate(sourced):
        if f.source and (char_range(doc, f.source),) in matched_src and i not in con_pairs:
            err.add("content missed although the source matched",
                    f"got «{_show(text, pred_con[i])}»", examples)


def _distinct(spans: Sequence[Spans]) -> tuple[list[Spans], list[int]]:
    """The distinct spans, and for each the index of its first occurrence."""
    seen: dict[Spans, int] = {}
    for n, span in enumerate(spans):
        seen.setdefault(span, n)
    return list(seen), list(seen.values())


def docs_for(articles: Sequence[Article], split: str, cache: Path | None,
             run: Run) -> Iterator[Doc]:
    """Parsed articles, from the cache when one is given and current (timed otherwise)."""
    nlp = spacy_pipeline()
    path = cache / f"polnear-{split}-{SPACY_MODEL}-{len(articles)}.spacy" if cache else None
    if path is not None and path.is_file():
        yield from DocBin().from_disk(path).get_docs(nlp.vocab)
        return
    store = DocBin() if path is not None else None
    texts = (a.text for a in articles)
    start = time.perf_counter()
    for doc in nlp.pipe(texts, batch_size=16):
        run.parse_s += time.perf_counter() - start
        if store is not None:
            store.add(doc)
        yield doc
        start = time.perf_counter()
    if store is not None and path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        store.to_disk(path)


def run_split(split: str, limit: int | None, cache: Path | None, examples: int) -> Run:
    articles = load_split(split, limit)
    run = Run()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task(f"PolNeAR {split}", total=len(articles))
        for art, doc in zip(articles, docs_for(articles, split, cache, run), strict=True):
            t0 = time.perf_counter()
            frames = find_attributions(doc)
            t1 = time.perf_counter()
            find_claims(doc, [], None)
            t2 = time.perf_counter()
            run.frames_s += t1 - t0
            run.claims_s += t2 - t1
            run.articles += 1
            run.words += sum(1 for t in doc if not t.is_punct and not t.is_space)
            score_article(art, doc, frames, run, examples)
            refs = resolve_sources(doc, frames, [])
            for f, ref in zip(frames, refs.sources, strict=True):
                if f.source is None:
                    continue
                first = doc[f.source[0]].lower_
                if first in _PRONOUNS or first in ("the", "this", "that"):
                    run.resolvable += 1
                    run.unresolved += ref is None or ref.name is None
            progress.advance(task)
    return run


def report(run: Run, split: str, cached: bool) -> None:
    table = Table(title=f"PolNeAR {split}: {run.articles} articles, "
                        f"{run.contents.gold} gold attributions with a source "
                        f"({run.sources.gold} distinct source spans)")
    for col in ("span", "match", "predicted", "gold", "precision", "recall", "F1"):
        table.add_column(col, justify="left" if col in ("span", "match") else "right")
    for name, score in (("source", run.sources), ("content", run.contents)):
        for label, hits in (("exact", score.exact), ("any-overlap", score.overlap),
                            ("proportional", score.dice)):
            p, r, f = score.prf(hits)
            # four decimals: a target of 0.80 must not be "met" by rounding 0.7997 up
            table.add_row(name, label, str(score.predicted), str(score.gold), f"{p:.4f}",
                          f"{r:.4f}", f"{f:.4f}")
    console.print(table)
    console.print("exact: same character offsets; any-overlap: the spans share at least one "
                  "word; proportional: each matched pair scores the Dice coefficient of their "
                  "word sets. Matching is one to one, best overlap first; sources are distinct "
                  "source spans, contents one per attribution.")
    per = run.sources_per_attribution
    p, r, f = per.prf(per.overlap)
    console.print(f"Sources counted once per attribution instead (a span shared by several "
                  f"attributions counts for each): any-overlap P {p:.3f} R {r:.3f} F1 {f:.3f}")
    u = run.unsourced_contents
    console.print(f"Contents of the {u.gold} gold attributions without a source "
                  f"(not predicted on purpose): {u.overlap / max(u.gold, 1):.1%} overlapped "
                  "by a predicted content anyway.")
    console.print(
        f"Pronoun/definite sources ('he', 'the agency'): {run.resolvable}, of which "
        f"{run.unresolved} ({run.unresolved / max(run.resolvable, 1):.0%}) not resolved to an "
        "earlier source or entity (no entity mentions given here).")

    err = run.errors
    console.print("\n[bold]Error kinds[/bold] (any-overlap matching)")
    for kind, n in err.kinds.most_common():
        console.print(f"  {n:5d}  {kind}")
        for ex in err.examples.get(kind, []):
            console.print(f"         e.g. {ex}", markup=False, highlight=False)
    console.print("  missed, by cue lemma: " + ", ".join(
        f"{k} {n}" for k, n in err.missed_cues.most_common(25)))
    console.print("  false sources, by cue: " + ", ".join(
        f"{k} {n}" for k, n in err.false_cues.most_common(20)))

    console.print("\n[bold]Speed[/bold]")
    if not cached:
        total = run.parse_s + run.frames_s
        console.print(f"  spaCy + attribution: {run.words / total:,.0f} words/s "
                      f"({run.articles / total:.1f} articles/s, one process)")
    else:
        console.print("  spaCy parse read from --cache: words/s not measured")
    n = max(run.articles, 1)
    console.print(f"  attribution frames: {1000 * run.frames_s / n:.2f} ms/article; "
                  f"whole claims step (frames, sources, hedging): "
                  f"{1000 * run.claims_s / n:.2f} ms/article; "
                  f"{run.words / n:.0f} words/article on average")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=("dev", "train"), default="dev",
                    help="dev (default) to report; train to tune on")
    ap.add_argument("--limit", type=int, default=None, help="first N articles only")
    ap.add_argument("--cache", type=Path, default=None,
                    help="folder to keep parsed articles in (for repeated tuning runs)")
    ap.add_argument("--examples", type=int, default=2, help="examples shown per error kind")
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        console.print(f"[red]PolNeAR not found at {DATA}[/red]")
        return 2
    cached = args.cache is not None and any(args.cache.glob(f"polnear-{args.split}-*"))
    run = run_split(args.split, args.limit, args.cache, args.examples)
    report(run, args.split, cached)
    return 0


if __name__ == "__main__":
    sys.exit(main())
