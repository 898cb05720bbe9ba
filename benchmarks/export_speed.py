"""Export speed and memory: rows/s and peak RSS per table and format, at two sizes.

Usage:
    .venv/bin/python benchmarks/export_speed.py [STORE.db] [--rows 10000,100000]
        [--tables articles,stories,facts] [--formats jsonl,csv,parquet] [--batch 2000]

STORE.db defaults to /tmp/large/store.db (benchmarks/build_large_store.py, ~100,000
articles). The store is opened read-only (SQLite `mode=ro`) through the export's own reader
and never migrated: opening it with `Store()` would apply the migrations it lacks, a write
this benchmark must not make. Each run is a fresh process that exports the first N rows of a
table to a temporary file and reports rows/s, the file's size, its RSS before the export
(imports, store open) and its peak RSS: flat memory means the peak does not grow with N.
`--heap` adds the peak of the Python heap (tracemalloc), which counts only what the export
itself holds, not the allocator's free lists and SQLite's page cache that RSS also counts.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_STORE = "/tmp/large/store.db"

# One export in a fresh process: the peak RSS is this export's alone.
_RUNNER = """
import json, resource, sys, time, tracemalloc
from types import SimpleNamespace
from sqlalchemy import create_engine
from corroborate.report.export import export
from corroborate.store.export import ExportReads

db, table, fmt, rows, batch, out, heap = sys.argv[1:8]
if fmt == "parquet":
    import pyarrow.parquet  # what the export imports anyway, counted in the baseline
engine = create_engine(f"sqlite:///file:{db}?mode=ro&uri=true")
store = SimpleNamespace(exports=ExportReads(engine))  # the reads an export makes, read-only


def rss_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


base = rss_mb()
if heap == "1":
    tracemalloc.start()
start = time.perf_counter()
with open(out, "wb") as sink:
    done = export(store, table, fmt, sink, batch_size=int(batch), limit=int(rows))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
heap_mb = tracemalloc.get_traced_memory()[1] / 1e6 if heap == "1" else None
print(json.dumps({"rows": done.rows, "seconds": seconds, "base_mb": base, "peak_mb": peak,
                  "heap_mb": heap_mb}))
"""


def run(db: str, table: str, fmt: str, rows: int, batch: int, folder: Path, heap: bool
        ) -> dict[str, float]:
    out = folder / f"{table}-{rows}.{fmt}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run([sys.executable, "-c", _RUNNER, db, table, fmt, str(rows),
                           str(batch), str(out), "1" if heap else "0"],
                          capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    result["mb"] = out.stat().st_size / 1e6
    out.unlink()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db", nargs="?", default=DEFAULT_STORE)
    parser.add_argument("--rows", default="10000,100000")
    parser.add_argument("--tables", default="articles,stories,facts")
    parser.add_argument("--formats", default="jsonl,csv,parquet")
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--heap", action="store_true", help="also trace the Python heap's "
                        "peak (tracemalloc: the rows/s drop; RSS also counts the allocator's "
                        "and SQLite's caches, the heap only what the export holds)")
    args = parser.parse_args()
    if not Path(args.db).exists():
        raise SystemExit(f"{args.db} does not exist: build it with "
                         "benchmarks/build_large_store.py")
    sizes = [int(n) for n in args.rows.split(",")]
    print(f"store {args.db}, batch {args.batch} rows, load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'table':<9} {'format':<8} {'rows':>8} {'rows/s':>9} {'file MB':>8} "
          f"{'RSS before':>10} {'peak RSS':>9} {'export MB':>9}"
          + (f" {'heap peak':>9}" if args.heap else ""))
    with tempfile.TemporaryDirectory(prefix="export-speed-") as tmp:
        for table in args.tables.split(","):
            for fmt in args.formats.split(","):
                for n in sizes:
                    r = run(args.db, table, fmt, n, args.batch, Path(tmp), args.heap)
                    print(f"{table:<9} {fmt:<8} {int(r['rows']):>8} "
                          f"{r['rows'] / r['seconds']:>9,.0f} {r['mb']:>8.1f} "
                          f"{r['base_mb']:>10.0f} {r['peak_mb']:>9.0f} "
                          f"{r['peak_mb'] - r['base_mb']:>9.0f}"
                          + (f" {r['heap_mb']:>9.1f}" if args.heap else ""), flush=True)


if __name__ == "__main__":
    main()
