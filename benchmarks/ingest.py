"""Ingest throughput and memory: ingest + clean + dedupe + store, through the product's path.

Usage:
    .venv/bin/python benchmarks/ingest.py [--html N] [--jsonl N] [--page-kb KB] [--workers W]
        [--extract]

Builds two corpora in a temp folder from ../shared data (never copied into the repo):
- HTML: the real news pages of the two extraction sets (~50 KB each), each repeated with a
  distinct inserted paragraph until N pages (so every page is a new input, as in a crawl);
- JSONL: BASIL article bodies (~600 words) with distinct openings until N records.
Then ingests each into a fresh SQLite file with `corroborate.pipeline.ingest` and prints
articles/s and peak memory. Memory is printed at two corpus sizes to show it stays flat.
Targets (issue 2): HTML >= 50 pages/s on 2 cores; JSONL >= 300 articles/s.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _html_pages() -> list[bytes]:
    pages = []
    for path in sorted((SHARED / "extraction" / "scrapinghub" / "html").glob("*.html.gz")):
        pages.append(gzip.decompress(path.read_bytes()))
    tdir = SHARED / "extraction" / "trafilatura-eval-dev"
    for sub in ("cache", "eval"):
        for path in sorted((tdir / sub).glob("*.gz")):
            pages.append(gzip.decompress(path.read_bytes()))
    return pages


def build_html(folder: Path, n: int, near_kb: float | None = None) -> float:
    """Write n HTML pages (only those of near_kb ± 50 % if given); returns mean size in KB."""
    pages = _html_pages()
    if near_kb:
        pages = [p for p in pages if near_kb * 0.5 <= len(p) / 1024 <= near_kb * 1.5]
    rng = random.Random(1)
    folder.mkdir(parents=True)
    total = 0
    for i in range(n):
        page = pages[i % len(pages)]
        if i >= len(pages):
            marker = " ".join(rng.choices(["alpha", "beta", "gamma", "delta", "port", "city"],
                                          k=12))
            page = page.replace(b"</p>", f"</p><p>Update {i}: {marker}.</p>".encode(), 1)
        (folder / f"p{i:05d}.html").write_bytes(page)
        total += len(page)
    return total / n / 1024


def build_jsonl(path: Path, n: int, seed: int = 2) -> None:
    """BASIL bodies as JSONL, each under a random opening (another `seed`, other texts)."""
    articles = []
    for f in sorted((SHARED / "stories" / "basil" / "articles").glob("*/*.json")):
        articles.append(json.loads(f.read_text(encoding="utf-8")))
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            a = dict(articles[i % len(articles)])
            paragraphs = [" ".join(p) if isinstance(p, list) else p for p in a["body-paragraphs"]]
            opening = f"Dispatch {i}: " + " ".join(rng.choices(paragraphs[0].split(), k=30))
            a["body-paragraphs"] = [opening, *paragraphs]
            fh.write(json.dumps(a) + "\n")


_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[4])
from memtrack import PeakMemory
from corroborate.pipeline import IngestOptions, ingest
from corroborate.store import Store

store = Store(sys.argv[2])
with PeakMemory() as peak:
    t = time.perf_counter()
    s = ingest([sys.argv[1]], store, IngestOptions(fetch=False, extract=sys.argv[5] == "1",
                                                   workers=int(sys.argv[3])))
    dt = time.perf_counter() - t
print(json.dumps({"seconds": dt, "peak_mb": peak.mb, "stored": store.count_articles(),
                  "skipped": len(s.skipped)}))
"""


def run_one(spec: str, workers: int, extract: bool) -> dict[str, float]:
    """Ingest in a child process; peak memory is sampled over it and its workers."""
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", _CHILD, spec, str(Path(tmp) / "b.db"),
                              str(workers), str(Path(__file__).parent), "1" if extract else "0"],
                             capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--html", type=int, default=2000)
    parser.add_argument("--jsonl", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--page-kb", type=float, default=None,
                        help="only HTML pages of about this size (±50 %%), e.g. 50")
    parser.add_argument("--extract", action="store_true",
                        help="include the extract stage (issue 2's targets exclude it)")
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"needs {SHARED}")
    print(f"machine: {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} "
          f"cores; workers={args.workers or 'one per core'}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        rows = []
        for n in (args.html // 4, args.html):
            folder = root / f"html{n}"
            kb = build_html(folder, n, args.page_kb)
            r = run_one(str(folder), args.workers, args.extract)
            rows.append(("HTML pages", n, kb, r))
        for n in (args.jsonl // 4, args.jsonl):
            path = root / f"basil{n}.jsonl"
            build_jsonl(path, n)
            r = run_one(str(path), args.workers, args.extract)
            rows.append(("JSONL articles", n, path.stat().st_size / n / 1024, r))
    print(f"{'corpus':<16}{'inputs':>8}{'KB each':>9}{'stored':>8}{'skipped':>8}"
          f"{'seconds':>9}{'per s':>8}{'MB/s':>7}{'peak MB (all procs)':>21}")
    for name, n, kb, r in rows:
        print(f"{name:<16}{n:>8}{kb:>9.1f}{r['stored']:>8}{r['skipped']:>8}{r['seconds']:>9.1f}"
              f"{n / r['seconds']:>8.1f}{n * kb / 1024 / r['seconds']:>7.1f}"
              f"{r['peak_mb']:>21.0f}")


if __name__ == "__main__":
    main()
