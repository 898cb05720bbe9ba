"""Speed of the whole extract stage: words/s, articles/s, peak memory, share inside spaCy.

Usage:
    .venv/bin/python benchmarks/extract_speed.py [--articles N] [--workers W]

Articles are BASIL bodies from ../shared (about 600 words each). Two measurements:
1. one process, timing spaCy's parse and our extractors separately (the share of time
   spent inside spaCy);
2. the product's path (`corroborate.pipeline.extract_stored`) over a store holding the
   articles, with one worker per core: articles/s and words/s on this machine.
Target (issue 3): >= 12 articles/s of ~600 words on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from memtrack import PeakMemory

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def load_articles(n: int) -> list[dict[str, str]]:
    rows = []
    for f in sorted((SHARED / "stories" / "basil" / "articles").glob("*/*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        paragraphs = [" ".join(p) if isinstance(p, list) else p for p in d["body-paragraphs"]]
        rows.append({"title": d["title"], "maintext": "\n\n".join(paragraphs),
                     "date_publish": d["date"], "source_domain": d["source"],
                     "url": d["url"] + f"#{len(rows)}"})
        if len(rows) >= n:
            break
    return rows


def single_process(texts: list[str]) -> tuple[float, float]:
    """Seconds in spaCy and in our extractors, one process."""
    from corroborate.extract import analyse, analysis_pipeline

    nlp = analysis_pipeline()
    nlp("warm up")
    spacy_s = ours_s = 0.0
    for text in texts:
        t0 = time.perf_counter()
        doc = nlp(text)
        t1 = time.perf_counter()
        analyse(doc, None, "bench")
        ours_s += time.perf_counter() - t1
        spacy_s += t1 - t0
    return spacy_s, ours_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"needs {SHARED}")
    from corroborate.pipeline import IngestOptions, extract_stored, ingest
    from corroborate.store import Store

    rows = load_articles(args.articles)
    texts = [r["maintext"] for r in rows]
    words = sum(len(t.split()) for t in texts)
    print(f"{len(rows)} articles, {words / len(rows):.0f} words each on average; "
          f"{os.cpu_count()} cores")

    spacy_s, ours_s = single_process(texts[: min(100, len(texts))])
    n1 = min(100, len(texts))
    print(f"one process, {n1} articles: spaCy {spacy_s / n1 * 1000:.1f} ms/article, "
          f"our extractors {ours_s / n1 * 1000:.1f} ms/article "
          f"({spacy_s / (spacy_s + ours_s):.0%} of the time inside spaCy)")

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "basil.jsonl"
        corpus.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
        store = Store(Path(tmp) / "x.db")
        ingest([str(corpus)], store, IngestOptions(fetch=False, extract=False))
        with PeakMemory() as peak:
            t0 = time.perf_counter()
            done = extract_stored(store, workers=args.workers)
            dt = time.perf_counter() - t0
    print(f"product path, {args.workers or os.cpu_count()} workers: {done} articles in "
          f"{dt:.1f} s = {done / dt:.1f} articles/s, {words / dt:,.0f} words/s "
          f"(target >= 12 articles/s); peak memory, all processes: {peak.mb:.0f} MB")


if __name__ == "__main__":
    main()
