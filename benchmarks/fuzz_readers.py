"""Fuzz every input reader with more cases than the test run affords.

Usage:
    .venv/bin/python benchmarks/fuzz_readers.py [--cases N] [--seed S] [--format F ...]

The same cases as tests/ingest/test_fuzz_readers.py (tests/ingest/fuzz_cases.py), N per
format (default 3000) from seed S (default 1; the test uses seed 0, 300 per format). Each
case is ingested as a run does (read, clean, dedupe, store; no extraction). Prints, per
format, how many cases ended stored or skipped with a reason, any that crashed or vanished
(with the case's file kept in a folder to reproduce it), and the slowest case. Exits 1 when
any case failed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere, against this checkout
sys.path.insert(0, str(ROOT / "tests" / "ingest"))

import fuzz_cases  # noqa: E402

from corroborate.store import Store  # noqa: E402


def fuzz(fmt: str, count: int, seed: int, keep: Path) -> int:
    """Run `count` cases of one format; print a line; return how many failed."""
    store = Store(":memory:")
    failed = 0
    slowest = (0.0, "")
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, data) in enumerate(fuzz_cases.cases(fmt, count, seed)):
            path = Path(tmp) / name
            path.write_bytes(data)
            t0 = time.monotonic()
            try:
                with contextlib.redirect_stderr(io.StringIO()):  # warcio prints warnings
                    problem = fuzz_cases.check_case(path, fuzz_cases.RandomFetcher(i), store)
            except Exception:
                problem = "crash: " + traceback.format_exc(limit=6)
            elapsed = time.monotonic() - t0
            slowest = max(slowest, (elapsed, name))
            if problem:
                failed += 1
                keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, keep / name)
                print(f"  {fmt} {name}: {problem}")
            path.unlink()
    store.close()
    print(f"{fmt:6} {count - failed}/{count} read or skipped with a reason, {failed} failed, "
          f"{time.monotonic() - started:.1f} s, slowest {slowest[0]:.2f} s ({slowest[1]})")
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", nargs="*", choices=fuzz_cases.FORMATS,
                        default=list(fuzz_cases.FORMATS))
    parser.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()) / "fuzz-fails",
                        help="folder for the files of failed cases")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    failed = sum(fuzz(fmt, args.cases, args.seed, args.keep) for fmt in args.format)
    if failed:
        print(f"{failed} failed cases kept in {args.keep}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
