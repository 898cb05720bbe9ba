"""Shared fixtures: the seeds, the benchmark data, an in-memory store, a temp database.

Tests that need ../shared skip with a clear reason where it is absent (a user's clone);
CI sets CORROBORATE_REQUIRE_SHARED=1 so that there they fail instead of skipping.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from corroborate.store import Store

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLES = REPO / "examples" / "corpus"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip (fail in CI) when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{path} is absent: clone the project with shared/ beside it to run this test"
        if os.environ.get("CORROBORATE_REQUIRE_SHARED"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def gold_inputs(out: Path, *stories: str) -> Path:
    """The development gold stories' articles written under `out` by the shared input writer
    (one folder per story: `out / "D01"`), as the corroboration benchmark writes them."""
    tool = shared_path("tools", "corroboration_inputs.py")
    for story in stories:
        subprocess.run([sys.executable, str(tool), "--out", str(out), "--story", story],
                       check=True, stdout=subprocess.DEVNULL)
    return out


@pytest.fixture
def seeds_dir() -> Path:
    return shared_path("seeds")


@pytest.fixture
def seed_files(seeds_dir: Path) -> list[Path]:
    return sorted(seeds_dir.glob("*.txt"))


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store(":memory:")
    yield s
    s.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"
