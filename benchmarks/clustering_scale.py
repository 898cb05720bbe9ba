"""Does story clustering stay flat per article as the corpus grows? A 100,000-article stream.

Why synthetic: no public gold set has 100k dated news articles, and the question here is
cost, not quality. The stream is made from real articles (BASIL's 300, through the real
extract stage and embedding model) varied into new ones: each synthetic story takes a real
article's profile, renames most of its entities and content words to story-specific
variants, moves its embedding away from the base and puts it at its own date; its reports
are that profile with noise added to the embedding and a few days of spread. Stories arrive
at a steady rate over about two years (~140 articles a day), the time-windowed index's
normal case.

    .venv/bin/python benchmarks/clustering_scale.py [--articles 100000] [--cache DIR]
                                                    [--relink DAYS]

Printed at 1k, 10k and 100k articles: the mean time of the last 1,000 `StoryClusterer.add`
calls with their share of the second look after each batch of 64 (ms/article), the
process's resident memory, and memory per article so far. With --relink, the recent window
(that many days) is also re-clustered after each batch (`relink_window`), and its cost is
printed apart: ms per pass and articles per window, over the last 16 passes.
Embedding is not included (a constant per article: see benchmarks/clustering.py).
"""

from __future__ import annotations

import argparse
import pickle
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import story_sets

from corroborate.cluster.profile import ArticleProfile, build_profiles
from corroborate.cluster.stories import SECOND_LOOK_BATCH, StoryClusterer
from corroborate.extract import extract_articles

CHECKPOINTS = (1_000, 10_000, 100_000)
PER_STORY = (1, 8)  # reports per synthetic story, uniform
SPREAD = 1.0  # a story's centre is its base plus noise of this norm: cosine ~0.7 with it
NOISE = 0.35  # a report is its story's centre plus noise of this norm: cosine ~0.94
START = datetime(2024, 1, 1, tzinfo=UTC)


def base_profiles(cache: Path | None) -> list[ArticleProfile]:
    path = cache / "scale.base.pkl" if cache else None
    if path and path.exists():
        return pickle.loads(path.read_bytes())
    docs = story_sets.basil()
    extractions = extract_articles([d.article for d in docs])
    profiles = build_profiles([(i, d.article, e) for i, (d, e) in
                               enumerate(zip(docs, extractions, strict=True))])
    profiles = [p for p in profiles if p.vector is not None]
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(profiles))
    return profiles


def stream(bases: list[ArticleProfile], total: int, seed: int = 3):
    """Yield synthetic profiles in publication order, story after story."""
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    made = 0
    story = 0
    minutes_per_article = 2 * 365 * 24 * 60 / total * 1.0
    while made < total:
        base = rng.choice(bases)
        story += 1
        tag = f"#{story}"
        entities = {f"{k}{tag}" if rng.random() < 0.8 else k: n for k, n in base.entities.items()}
        terms = {f"{k}{tag}" if rng.random() < 0.6 else k: n for k, n in base.terms.items()}
        title = {f"{k}{tag}" if rng.random() < 0.6 else k: n
                 for k, n in base.title_terms.items()}
        centre = nprng.normal(size=base.vector.shape).astype(np.float32)
        centre = base.vector + SPREAD * centre / np.linalg.norm(centre)
        centre /= np.linalg.norm(centre)
        when = START + timedelta(minutes=made * minutes_per_article)
        for _ in range(rng.randint(*PER_STORY)):
            if made >= total:
                return
            noise = nprng.normal(size=centre.shape).astype(np.float32)
            vector = centre + NOISE * noise / np.linalg.norm(noise)
            made += 1
            yield replace(base, article_id=made, vector=vector / np.linalg.norm(vector),
                          entities=entities, terms=terms, title_terms=title,
                          published=when + timedelta(hours=rng.uniform(0, 72)))


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * 4096 / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=CHECKPOINTS[-1])
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--relink", type=float, default=None,
                    help="re-cluster the last DAYS after each batch; print its cost apart")
    ap.add_argument("--bases", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    relink = ["--relink", str(args.relink)] if args.relink is not None else []
    if args.bases is None:
        # The stream runs in a fresh process, so its memory is not mixed up with what the
        # extract stage and the embedding model (needed only to make the bases) left behind.
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bases.pkl"
            path.write_bytes(pickle.dumps(base_profiles(args.cache)))
            subprocess.run([sys.executable, __file__, "--articles", str(args.articles),
                            "--bases", str(path), *relink], check=True)
        return
    run_stream(pickle.loads(args.bases.read_bytes()), args.articles, args.relink)


def run_stream(bases: list[ArticleProfile], articles: int, relink: float | None = None) -> None:
    clusterer = StoryClusterer()
    rss0 = rss_mb()
    print(f"{len(bases)} real base profiles; resident memory before the stream {rss0:.0f} MB")
    print(f"{'articles':>9} {'ms/article (last 1k)':>21} {'RSS MB':>8} {'KB/article':>11} "
          f"{'stories':>8}" + (f" {'relink ms/pass':>15} {'window':>7}" if relink else ""))
    passes: list[tuple[float, int]] = []
    window: list[float] = []
    checkpoints = [c for c in CHECKPOINTS if c <= articles] or [articles]
    batch: list[ArticleProfile] = []
    for profile in stream(bases, articles):
        t0 = time.perf_counter()
        clusterer.add(profile)
        window.append(time.perf_counter() - t0)
        batch.append(profile)
        if len(batch) == SECOND_LOOK_BATCH:  # as the product: a second look per batch,
            t0 = time.perf_counter()  # its time shared among the batch's articles
            clusterer.second_look(batch)
            share = (time.perf_counter() - t0) / len(batch)
            window[-len(batch):] = [t + share for t in window[-len(batch):]]
            batch = []
            if relink is not None:
                t0 = time.perf_counter()
                clusterer.relink_window(relink)
                passes = [*passes[-15:], (time.perf_counter() - t0, clusterer.last_window)]
        window = window[-1000:]
        n = profile.article_id
        if n in checkpoints:
            rss = rss_mb()
            print(f"{n:9,d} {1000 * sum(window) / len(window):21.3f} {rss:8.0f} "
                  f"{(rss - rss0) * 1024 / n:11.2f} {len(clusterer.stories):8,d}"
                  + (f" {1000 * np.mean([t for t, _ in passes]):15.1f}"
                     f" {np.mean([w for _, w in passes]):7.0f}" if passes else ""), flush=True)


if __name__ == "__main__":
    main()
