"""End to end: articles per second from files to stored dossiers, on BASIL.

Why: each stage has its own speed figure, but what a user waits for is the whole road from
a folder of articles to every story's dossier stored and readable. This runs the product's
own path, as `corroborate ingest` does, into a fresh database:

    .venv/bin/python benchmarks/end_to_end.py [--articles 300] [--workers 0] [--check-workers 1]

  models      loading spaCy and the embedding model in this process (printed apart; the
              worker processes load spaCy inside the ingest stage)
  ingest      clean + extract (worker processes) + dedupe + store
  cluster     profile (MiniLM), place, second look
  crosscheck  every story's cross-check computed and stored (`recompute_stale`)
  dossiers    every story's dossier read back from the store and rendered (Markdown), to show
              that a read costs milliseconds

Input: BASIL's articles (100 events x 3 outlets, ../shared/data/stories/basil) written as
one JSONL file, the first N in file order. Target: >= 10 articles/s on 2 cores, model loading
included.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corroborate.models import embedding_model, spacy_pipeline  # noqa: E402
from corroborate.pipeline import (  # noqa: E402
    IngestOptions,
    cluster_stored,
    ingest,
    recompute_stale,
)
from corroborate.report import build_dossier, to_markdown  # noqa: E402
from corroborate.store import Store  # noqa: E402

BASIL = ROOT.parent / "shared" / "data" / "stories" / "basil" / "articles"


def write_jsonl(path: Path, n: int) -> int:
    """The first n BASIL articles as news-please style JSONL records; how many were written."""
    count = 0
    with path.open("w", encoding="utf-8") as fh:
        for f in sorted(BASIL.glob("*/*.json")):
            d = json.loads(f.read_text(encoding="utf-8"))
            paragraphs = [" ".join(p) if isinstance(p, list) else p for p in d["body-paragraphs"]]
            fh.write(
                json.dumps(
                    {
                        "title": d["title"],
                        "maintext": "\n\n".join(paragraphs),
                        "date_publish": d["date"],
                        "source_domain": d["source"],
                        "url": d["url"] + f"#{count}",
                    }
                )
                + "\n"
            )
            count += 1
            if count >= n:
                break
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--workers", type=int, default=0, help="ingest workers (0: per core)")
    parser.add_argument(
        "--check-workers",
        type=int,
        default=1,
        help="cross-check worker processes (1: in this process)",
    )
    args = parser.parse_args()
    if not BASIL.is_dir():
        sys.exit(f"BASIL is missing: {BASIL} (clone ../shared beside the repo)")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "basil.jsonl"
        n = write_jsonl(source, args.articles)
        store = Store(Path(tmp) / "e2e.db")
        times: dict[str, float] = {}

        t = time.perf_counter()
        spacy_pipeline()
        embedding_model()
        times["models"] = time.perf_counter() - t

        t = time.perf_counter()
        summary = ingest([str(source)], store, IngestOptions(fetch=False, workers=args.workers))
        times["ingest"] = time.perf_counter() - t

        t = time.perf_counter()
        run = cluster_stored(store)
        times["cluster"] = time.perf_counter() - t

        t = time.perf_counter()
        checked = recompute_stale(store, workers=args.check_workers)
        times["crosscheck"] = time.perf_counter() - t

        t = time.perf_counter()
        stories = store.stories.list(limit=100_000)
        for story in stories:
            stored = store.checks.of_story(story)
            assert stored.current and stored.check is not None
            to_markdown(build_dossier(story, stored.check))
        times["dossiers"] = time.perf_counter() - t
        store.close()

    stored_n = summary.total - len(summary.skipped)
    total = sum(times.values())
    work = total - times["models"]
    print(
        f"{n} BASIL articles ({stored_n} stored, {len(summary.skipped)} skipped), "
        f"{run.stories} stories, {os.cpu_count()} cores"
    )
    for stage, seconds in times.items():
        rate = f"{n / seconds:7.1f} articles/s" if stage in ("ingest", "cluster") else ""
        extra = ""
        if stage == "crosscheck":
            extra = (
                f"{checked.recomputed} stories, {checked.seconds / max(1, checked.recomputed):.2f}"
                f" s per story ({checked.left} left)"
            )
        if stage == "dossiers":
            each = seconds / max(1, len(stories)) * 1000
            extra = f"{len(stories)} read and rendered, {each:.1f} ms each"
        print(f"  {stage:<11} {seconds:7.1f} s  {rate}{extra}")
    print(
        f"SUMMARY articles={n} seconds={total:.1f} articles_per_s={n / total:.2f} "
        f"without_model_loading={n / work:.2f} target=10"
    )


if __name__ == "__main__":
    main()
