"""Main-text and publication-date quality of our HTML cleaner, on two public benchmarks.

Why a script of our own: the cleaner wraps trafilatura, and the only way to know whether our
additions (decoding, date rules, post-cleaning) help is to score them, with each benchmark's
own metric, next to the plain library. `--check` turns the figures into a gate against
`extraction_floors.json` (STYLE.md item 8): lowering a floor is an explicit, explained act.

    .venv/bin/python benchmarks/extraction.py [--set scrapinghub|trafilatura-eval|all]
        [--limit N] [--baseline] [--check]

Data (read-only, never copied into the repo): ../shared/data/extraction/, see its
PROVENANCE.md. Speed is the extraction call alone (decompression excluded), one process.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere, against this checkout

from corroborate.clean.html import clean_html  # noqa: E402
from corroborate.errors import InputRejected  # noqa: E402
from corroborate.records import DocFormat, RawDocument  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "extraction"
FLOORS = Path(__file__).with_name("extraction_floors.json")
SETS = ("scrapinghub", "trafilatura-eval")

# Wide enough for the results table when the output is a file or a pipe, not a terminal.
console = Console(width=None if sys.stdout.isatty() else 110)


@dataclass(frozen=True, slots=True)
class Page:
    """One benchmark page with its gold annotations."""

    key: str
    url: str | None
    html: bytes
    gold: dict


@dataclass(frozen=True, slots=True)
class Prediction:
    """What an extractor returned for a page: main text (empty when it gave up) and date."""

    text: str
    published: date | None


Extractor = Callable[[Page], Prediction]


# --- extractors -----------------------------------------------------------------------------


def ours(page: Page) -> Prediction:
    """Our cleaner; a rejected page counts as an empty prediction, as a crash would upstream."""
    raw = RawDocument(source=page.key, content=page.html, format=DocFormat.HTML, url=page.url)
    try:
        article = clean_html(raw)
    except InputRejected:
        return Prediction("", None)
    return Prediction(article.text, article.published.date() if article.published else None)


def trafilatura_defaults(page: Page) -> Prediction:
    """The library we build on, with its defaults plus metadata (for the date), same URL."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
    except Exception:  # a crash counts as a full miss, as in both upstream scorers
        return Prediction("", None)
    if doc is None:
        return Prediction("", None)
    return Prediction(doc.text or "", _parse_day(doc.date))


EXTRACTORS: dict[str, Extractor] = {"ours": ours, "trafilatura": trafilatura_defaults}


# --- data sets ------------------------------------------------------------------------------


def scrapinghub_pages(limit: int | None) -> Iterator[Page]:
    """The Zyte benchmark: gold body per page id, URL given (a crawler knows it)."""
    folder = DATA / "scrapinghub"
    gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(gold)[:limit]:
        html = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        yield Page(key, gold[key].get("url"), html, gold[key])


def trafilatura_eval_pages(limit: int | None) -> Iterator[Page]:
    """trafilatura's own evaluation half: cache/ first, then eval/, as upstream resolves."""
    folder = DATA / "trafilatura-eval-dev"
    gold = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    for key in sorted(gold)[:limit]:
        item = gold[key]
        path = folder / "cache" / f"{item['file']}.gz"
        if not path.is_file():
            path = folder / "eval" / f"{item['file']}.gz"
        url = key.removeprefix("hard::").strip()
        yield Page(key, url, gzip.decompress(path.read_bytes()), item)


def count_pages(name: str, limit: int | None) -> int:
    """How many pages a set has (for the progress bar), without decompressing them."""
    folder = DATA / ("scrapinghub" if name == "scrapinghub" else "trafilatura-eval-dev")
    gold_file = "ground-truth.json" if name == "scrapinghub" else "evaldata.json"
    n = len(json.loads((folder / gold_file).read_text(encoding="utf-8")))
    return min(n, limit) if limit is not None else n


# --- metrics --------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def shingle_counts(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Bag of n-word shingles; a text shorter than n words is one short shingle (upstream)."""
    words = _WORD.findall(text or "")
    return Counter(tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1)) if words)


def shingle_tp_fp_fn(gold: str, pred: str) -> tuple[float, float, float]:
    """Per-document counts normalised to sum 1, so long articles do not weigh more."""
    g, p = shingle_counts(gold), shingle_counts(pred)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def shingle_scores(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Precision and recall averaged over documents, F1 from the two averages.

    Edge cases as in upstream evaluate.py: an empty prediction (tp + fp == 0) is left out of
    the precision average but scores recall 0; a document with empty gold (tp + fn == 0) is
    left out of the recall average; both empty (fp == fn == 0) scores 1 for both.
    """

    def precision(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else tp / (tp + fp)

    def recall(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else tp / (tp + fn)

    ps = [precision(*c) for c in counts if c[0] + c[1] > 0]
    rs = [recall(*c) for c in counts if c[0] + c[2] > 0]
    p = statistics.mean(ps) if ps else 0.0
    r = statistics.mean(rs) if rs else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def segment_counts(item: dict, text: str) -> tuple[int, int, int]:
    """(tp, fp, fn) of one page: whitespace-normalized substring match of each segment."""
    t = _norm(text)
    tp = sum(_norm(s) in t for s in item["with"]) if t else 0
    fp = sum(_norm(s) in t for s in item["without"]) if t else 0
    return tp, fp, len(item["with"]) - tp


def _parse_day(value: str | None) -> date | None:
    """A gold or library date string as a day ("2022-11-1" is read as 2022-11-01)."""
    if not value:
        return None
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", value.strip())
    if not m:
        return None
    year, month, day = map(int, m.groups())
    if month > 12 >= day:
        # Two gold dates of trafilatura-eval-dev are written year-day-month ("2022-29-11");
        # no month exceeds 12, so reading them swapped is unambiguous.
        month, day = day, month
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _peek(pages: Iterator[Page]) -> tuple[Iterator[Page], Page | None]:
    first = next(pages, None)
    if first is None:
        return iter(()), None
    return itertools.chain([first], pages), first


# --- running --------------------------------------------------------------------------------


@dataclass(slots=True)
class Result:
    """Scores of one extractor on one set."""

    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    date_accuracy: float | None = None
    pages: int = 0
    seconds: float = 0.0
    date_misses: list[str] = field(default_factory=list)

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    def figures(self) -> dict[str, float]:
        out = {"precision": self.precision, "recall": self.recall, "f1": self.f1}
        if self.date_accuracy is not None:
            out["date_accuracy"] = self.date_accuracy
        return out


def run(set_name: str, extractor_name: str, limit: int | None, progress: Progress) -> Result:
    """Score one extractor on one set, timing only the extraction calls."""
    extract = EXTRACTORS[extractor_name]
    pages = scrapinghub_pages(limit) if set_name == "scrapinghub" else trafilatura_eval_pages(limit)
    task = progress.add_task(f"{extractor_name} on {set_name}", total=count_pages(set_name, limit))
    result = Result()
    # One untimed call first: loading models and compiling date-parser locales is a
    # once-per-process cost, not a per-page one, and would skew a short --limit run.
    pages, first = _peek(pages)
    if first is not None:
        extract(first)
    shingles: list[tuple[float, float, float]] = []
    tp = fp = fn = 0
    dated = dated_right = 0
    for page in pages:
        start = time.perf_counter()
        pred = extract(page)
        result.seconds += time.perf_counter() - start
        result.pages += 1
        if set_name == "scrapinghub":
            shingles.append(shingle_tp_fp_fn(page.gold.get("articleBody", ""), pred.text))
        else:
            t, f, n = segment_counts(page.gold, pred.text)
            tp, fp, fn = tp + t, fp + f, fn + n
            gold_day = _parse_day(page.gold.get("date"))
            if gold_day is not None:  # a missing predicted date counts as wrong
                dated += 1
                if pred.published == gold_day:
                    dated_right += 1
                else:
                    result.date_misses.append(f"{page.key}\tgold={gold_day}\tgot={pred.published}")
        progress.advance(task)
    if set_name == "scrapinghub":
        result.precision, result.recall, result.f1 = shingle_scores(shingles)
    else:
        result.precision = tp / (tp + fp) if tp + fp else 0.0
        result.recall = tp / (tp + fn) if tp + fn else 0.0
        result.f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
        result.date_accuracy = dated_right / dated if dated else 0.0
    return result


def main(argv: list[str] | None = None) -> int:
    """Print the figures; with --check, exit 1 when ours falls below a floor."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", choices=[*SETS, "all"], default="all")
    ap.add_argument("--limit", type=int, default=None, help="first N pages of each set only")
    ap.add_argument("--baseline", action="store_true", help="also score plain trafilatura")
    ap.add_argument("--check", action="store_true", help="exit 1 if ours is below the floors")
    ap.add_argument("--date-misses", type=Path, help="write ours' wrong dates to this file")
    args = ap.parse_args(argv)
    if args.check and args.limit is not None:
        ap.error("--check compares whole sets with their floors: drop --limit")
    if not DATA.is_dir():
        console.print(f"[red]benchmark data not found at {DATA}[/red]")
        return 2

    sets = SETS if args.set == "all" else (args.set,)
    extractors = ["ours", "trafilatura"] if args.baseline else ["ours"]
    results: dict[tuple[str, str], Result] = {}
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        for set_name in sets:
            for name in extractors:
                results[set_name, name] = run(set_name, name, args.limit, progress)

    table = Table(title="Extraction benchmark" + (f" (first {args.limit})" if args.limit else ""))
    for col in ("set", "extractor", "pages", "precision", "recall", "F1", "date acc.", "pages/s"):
        table.add_column(col, justify="left" if col in ("set", "extractor") else "right")
    for (set_name, name), r in results.items():
        acc = "-" if r.date_accuracy is None else f"{r.date_accuracy:.3f}"
        table.add_row(set_name, name, str(r.pages), f"{r.precision:.3f}", f"{r.recall:.3f}",
                      f"{r.f1:.3f}", acc, f"{r.pages_per_s:.1f}")
    console.print(table)

    if args.date_misses and ("trafilatura-eval", "ours") in results:
        misses = results["trafilatura-eval", "ours"].date_misses
        args.date_misses.write_text("\n".join(misses) + "\n", encoding="utf-8")

    if not args.check:
        return 0
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    failed = False
    for set_name in sets:
        got = results[set_name, "ours"].figures()
        for metric, floor in floors[set_name].items():
            if metric.startswith("_"):
                continue  # comments in the JSON
            ok = got[metric] >= floor
            failed = failed or not ok
            mark = "[green]ok[/green]" if ok else "[red]BELOW FLOOR[/red]"
            console.print(f"{set_name:>17} {metric:<14} {got[metric]:.4f} "
                          f"(floor {floor:.4f}) {mark}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
