"""Where the cross-check's time goes: cProfile over BASIL stories.

Why: the cross-check is most of the time from files to stored dossiers
(benchmarks/end_to_end.py); this shows which of its parts to speed up. Each event's three
articles are extracted first (not profiled), then `crosscheck` runs once unprofiled (models
loaded) and once per story under cProfile:

    .venv/bin/python benchmarks/crosscheck_profile.py [--events 12] [--top 25]

Prints seconds per story, the share of a few known parts (claim embedding, spaCy parse of
the claims, pair scoring), and cProfile's top functions by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import story_sets
from corroboration import stored

from corroborate.crosscheck import crosscheck
from corroborate.extract import extract_articles

PARTS = {  # (file suffix, function): what it is
    ("models.py", "embed"): "MiniLM embedding of the claims",
    ("align.py", "_features"): "spaCy parse of the claims",
    ("align.py", "_bonus"): "pair scoring (words, entities, figures, dates)",
    ("align.py", "average_linkage"): "grouping claims into facts",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=12)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    events: dict[str, list[story_sets.GoldDoc]] = {}
    for doc in story_sets.basil():
        events.setdefault(doc.gold, []).append(doc)
    stories = []
    for _gold, docs in sorted(events.items())[: args.events]:
        extractions = extract_articles([d.article for d in docs])
        stories.append(
            [(stored(i, d), x) for i, (d, x) in enumerate(zip(docs, extractions, strict=True), 1)]
        )
    crosscheck(stories[0])  # models loaded before anything is timed
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for pairs in stories:
        crosscheck(pairs)
    profile.disable()
    seconds = time.perf_counter() - started
    stats = pstats.Stats(profile)
    total = max(v[3] for k, v in stats.stats.items() if k[2] == "crosscheck")  # type: ignore[attr-defined]
    print(
        f"{len(stories)} BASIL stories (3 articles each): {seconds / len(stories):.2f} s per "
        f"story under cProfile"
    )
    for (suffix, name), what in PARTS.items():
        cumulative = sum(
            v[3]
            for k, v in stats.stats.items()  # type: ignore[attr-defined]
            if k[0].endswith(suffix) and k[2] == name
        )
        print(f"  {cumulative / total:6.1%}  {what} ({suffix} {name})")
    stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
