"""Fuzz every input reader: random and mutated bytes never crash a run.

300 seeded cases per format (HTML, text, JSON, JSONL, WARC, RSS, Atom, URL lists; some
gzipped, some with a damaged gzip wrapper), each ingested as a run does: every case must
end with each of its documents stored or skipped with a reason. URL lists and link-only
feed items are answered by a fetcher that returns mutated pages and feeds, offline.
`benchmarks/fuzz_readers.py` runs the same cases in larger numbers and other seeds.
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator
from pathlib import Path

import fuzz_cases
import pytest

from corroborate.store import Store

CASES_PER_FORMAT = 300


@pytest.fixture
def quiet() -> Iterator[None]:
    """Reader failures are logged (as they should be); 300 of them need not be printed."""
    logging.disable(logging.CRITICAL)
    try:
        with contextlib.redirect_stderr(io.StringIO()):  # warcio writes warnings to stderr
            yield
    finally:
        logging.disable(logging.NOTSET)


@pytest.mark.parametrize("fmt", fuzz_cases.FORMATS)
def test_reader_survives_random_and_mutated_bytes(fmt: str, tmp_path: Path, quiet: None
                                                  ) -> None:
    store = Store(":memory:")
    problems = []
    for i, (name, data) in enumerate(fuzz_cases.cases(fmt, CASES_PER_FORMAT, seed=0)):
        path = tmp_path / name
        path.write_bytes(data)
        try:
            problem = fuzz_cases.check_case(path, fuzz_cases.RandomFetcher(i), store)
        except Exception as exc:  # the failure this test looks for
            problem = f"crashed: {type(exc).__name__}: {exc}"
        if problem:
            problems.append(f"{name}: {problem}")
        path.unlink()
    store.close()
    assert not problems, "\n".join(problems[:10])


def test_fuzz_cases_are_seeded_and_mix_valid_and_damaged_inputs() -> None:
    first = list(fuzz_cases.cases("warc", 50, seed=0))
    assert first == list(fuzz_cases.cases("warc", 50, seed=0))
    assert first != list(fuzz_cases.cases("warc", 50, seed=1))
    assert any(name.endswith(".gz") for name, _ in first)
    assert len({data for _, data in first}) > 45
