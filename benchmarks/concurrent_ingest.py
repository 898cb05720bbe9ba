"""Two ingests into one store at once, full size: both must finish, every article stored once.

Usage:
    .venv/bin/python benchmarks/concurrent_ingest.py [--per-process N] [--no-cluster]

The issue 16 scenario: the 300 BASIL articles of ../shared split in two halves (N each,
default 150), each ingested by its own `corroborate ingest` process into one new SQLite
file at the same time, extraction on and (unless --no-cluster) clustering after. Prints
each process's exit code, wall time and any wait for the other's write lock, then how many
articles the store holds and whether each was stored once. The test suite runs the same
check on 40 + 40 articles without clustering (tests/test_concurrent_ingest.py).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASIL = ROOT.parent / "shared" / "data" / "stories" / "basil" / "articles"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-process", type=int, default=150)
    parser.add_argument("--no-cluster", action="store_true")
    args = parser.parse_args()
    files = sorted(BASIL.rglob("*.json"))
    n = args.per_process
    if len(files) < 2 * n:
        sys.exit(f"need {2 * n} BASIL articles under {BASIL}, found {len(files)}")
    with tempfile.TemporaryDirectory() as tmp:
        halves = [Path(tmp) / "halfA", Path(tmp) / "halfB"]
        for half, chosen in zip(halves, (files[:n], files[n : 2 * n]), strict=True):
            half.mkdir()
            for path in chosen:
                shutil.copy(path, half / path.name)
        db = Path(tmp) / "two.db"
        extra = ["--no-cluster"] if args.no_cluster else []
        started = time.monotonic()
        runs = [subprocess.Popen([sys.executable, "-m", "corroborate", "ingest", "--db", str(db),
                                  "--no-fetch", *extra, str(half)], cwd=ROOT, text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                for half in halves]
        ok = True
        for half, run in zip(halves, runs, strict=True):
            out, err = run.communicate()
            wall = time.monotonic() - started
            waits = [line for line in err.splitlines() if "written by another process" in line
                     or "other writer finished" in line]
            print(f"{half.name}: exit {run.returncode} after {wall:.1f} s; "
                  f"{out.splitlines()[0] if out else '(no output)'}")
            for line in waits:
                print(f"  {line}")
            if run.returncode != 0:
                ok = False
                print(err[-3000:])
        conn = sqlite3.connect(db)
        total, distinct = conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT source) FROM articles").fetchone()
        conn.close()
    once = total == distinct == 2 * n
    print(f"store: {total} articles, {distinct} distinct sources "
          f"({'all' if once else 'NOT all'} {2 * n} stored exactly once)")
    return 0 if ok and once else 1


if __name__ == "__main__":
    raise SystemExit(main())
