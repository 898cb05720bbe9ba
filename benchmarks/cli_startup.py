"""CLI start-up: each read command's wall time on a large store, start to exit, as a table.

Usage:
    .venv/bin/python benchmarks/cli_startup.py STORE.db [--runs 5]

STORE.db is a store from benchmarks/build_large_store.py (~100,000 articles). Each command
runs `python -m corroborate ...` in a fresh process, as a user's shell would, `--runs` times;
the table gives the median wall time, the fastest (the best estimate of the time on a free
machine) and the slowest, the median CPU time (user + system:
what the command itself costs; on a shared machine the wall time also counts the wait for a
core, so the load average is printed too), and the modules the command imported that a read
should not need (models, HTML cleaning, date parsing, vector index). Target: under 1 s.
`dossier` is measured too, though it cross-checks on read until dossiers are stored.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from corroborate.models import HEAVY_MODULES

REPO = Path(__file__).resolve().parents[1]
TARGET_S = 1.0
HEAVY = HEAVY_MODULES

# Runs the command as `python -m corroborate` would, then lists the heavy modules it loaded.
_RUNNER = """
import json, runpy, sys
command, watched = json.loads(sys.argv[1]), set(json.loads(sys.argv[2]))
sys.argv = ["corroborate", *command]
try:
    runpy.run_module("corroborate", run_name="__main__")
except SystemExit as done:
    code = done.code or 0
else:
    code = 0
heavy = sorted({m.split(".")[0] for m in sys.modules} & watched)
sys.stderr.write("\\nHEAVY " + json.dumps([code, heavy]) + "\\n")
"""


def ids(db: Path) -> tuple[int, int]:
    """A story in the middle of the store and one of its articles."""
    from corroborate.store import Store

    with Store(db) as store:
        total = store.stories.count()
        story = store.stories.list(limit=1, offset=total // 2)[0]
        return story.id, story.members[0].article_id


def run(args: list[str]) -> tuple[float, float, int, list[str]]:
    """One run: wall seconds, CPU seconds (user + system), exit code, heavy modules loaded."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]),
    }
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, json.dumps(args), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    tail = [line for line in done.stderr.splitlines() if line.startswith("HEAVY ")]
    if not tail:
        return seconds, cpu, done.returncode, ["(crashed: " + done.stderr[-200:] + ")"]
    code, heavy = json.loads(tail[-1][6:])
    return seconds, cpu, code, heavy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    story, article = ids(args.store)
    db = ["--db", str(args.store)]
    commands = [
        ["--help"],
        ["stories", *db],
        ["stories", "--json", *db],
        ["story", str(story), *db],
        ["story", str(story), "--json", *db],
        ["articles", *db],
        ["articles", "--json", *db],
        ["articles", "--outlet", "Fox", *db],
        ["article", str(article), *db],
        ["article", str(article), "--json", *db],
        ["search", "border wall", *db],
        ["search", "border wall", "--json", *db],
        ["corrections", *db],
        ["dossier", str(story), *db],
    ]
    print(
        f"{args.store}: story {story}, article {article}; {args.runs} runs each; "
        f"target < {TARGET_S:.0f} s; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores"
    )
    print(
        f"{'command':<34}{'median s':>9}{'min s':>7}{'max s':>7}{'cpu s':>7}  {'exit':>4}  "
        "verdict (median wall)"
    )
    for command in commands:
        times, cpus, codes, heavy = [], [], set(), set()
        for _ in range(args.runs if command[0] != "dossier" else 1):
            seconds, cpu, code, loaded = run(command)
            times.append(seconds)
            cpus.append(cpu)
            codes.add(code)
            heavy.update(loaded)
        shown = " ".join(c for c in command if c not in db)
        median = statistics.median(times)
        verdict = "met" if median < TARGET_S else f"MISSED by {median - TARGET_S:.2f} s"
        if command[0] == "dossier" and 3 in codes:
            verdict += " (no stored cross-check for this story yet: exit 3; run `corroborate " \
                "crosscheck` or `dossier ID --fresh` once)"
        print(
            f"{shown:<34}{median:>9.2f}{min(times):>7.2f}{max(times):>7.2f}"
            f"{statistics.median(cpus):>7.2f}  "
            f"{','.join(map(str, codes)):>4}  "
            f"{verdict}{'; loaded ' + ', '.join(sorted(heavy)) if heavy else ''}"
        )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
