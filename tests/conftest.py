"""Shared fixtures: the seeds, the benchmark data, an in-memory store, a temp database.

Tests that need ../shared skip with a clear reason where it is absent (a user's clone);
CI sets CORROBORATE_REQUIRE_SHARED=1 so that there they fail instead of skipping.

The store's backend: SQLite files by default. With CORROBORATE_TEST_DB set to a PostgreSQL
server's URL (scripts/test does this for its second run), the session makes a fresh database
there and every store a test opens, by file path or ":memory:", is a schema of it instead
(see `corroborate.store.dialect`); tests about the SQLite file itself are marked
`sqlite_only` and skip. `pg_url` gives a test its own PostgreSQL database in either run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from corroborate.store import Store
from corroborate.store.dialect import (
    TEST_DB_ENV,
    TEST_PREFIX_ENV,
    create_database,
    test_database_name,
)

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


# -- PostgreSQL ------------------------------------------------------------------------------

PG_SERVER = REPO / "scripts" / "pg-test-server"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only(reason): about the SQLite file itself; "
                            "skipped when the suite runs on PostgreSQL")
    if os.environ.get(TEST_DB_ENV) and not os.environ.get(TEST_PREFIX_ENV):
        # this session's databases (subprocesses inherit the prefix), dropped at its end
        os.environ[TEST_PREFIX_ENV] = f"corroborate_test_{os.getpid()}"


def pytest_unconfigure(config: pytest.Config) -> None:
    server, prefix = os.environ.get(TEST_DB_ENV), os.environ.get(TEST_PREFIX_ENV)
    if server and prefix == f"corroborate_test_{os.getpid()}":
        import psycopg

        with psycopg.connect(server, autocommit=True) as conn:
            names = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                                 (prefix + "%",)).fetchall()
            for (name,) in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def copy_store(source: Path, target: Path) -> None:
    """A copy of the store at `source` at `target`: the file, or under the PostgreSQL switch
    the database it stands for (a template copy)."""
    shutil.copy(source, target)
    server = os.environ.get(TEST_DB_ENV)
    if server:
        create_database(server, test_database_name(str(target)),
                        template=test_database_name(str(source)))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not os.environ.get(TEST_DB_ENV):
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.args[0] if marker.args else "about the SQLite file"
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A PostgreSQL server's URL: the suite's own under the switch, else a throwaway one
    started for the session (skips where no PostgreSQL binaries are installed)."""
    server = os.environ.get(TEST_DB_ENV)
    if server:
        yield server
        return
    if not (shutil.which("initdb") or Path("/usr/lib/postgresql/15/bin/initdb").exists()):
        message = ("no PostgreSQL server binaries (initdb) on this machine: install "
                   "postgresql-15 to run the PostgreSQL store tests")
        if os.environ.get("CORROBORATE_REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message)
    folder = Path(f"/tmp/corroborate-pg-{os.getpid()}")
    url = subprocess.run([str(PG_SERVER), "start", str(folder), str(_free_port())], check=True,
                         capture_output=True, text=True).stdout.strip()
    try:
        yield url
    finally:
        subprocess.run([str(PG_SERVER), "stop", str(folder)], check=False)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    import psycopg

    name = f"corroborate_pg_{uuid.uuid4().hex[:16]}"
    create_database(pg_server, name)
    yield pg_server.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _free_port() -> int:
    """A port nothing listens on now, for the throwaway server (sessions may run side by
    side)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
