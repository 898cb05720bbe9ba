"""A writer waits for another process's write, says so, and fails clearly if it never ends.

Issue 16: of two ingests into one store, one died with a raw `sqlite3.OperationalError:
database is locked`. Two Store objects on one file stand in for the two processes here
(each has its own connections, so SQLite's locking is the same as across processes).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import pytest

from corroborate.errors import StoreBusyError
from corroborate.store import Store, locking


@pytest.fixture(autouse=True)
def short_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locking, "ROUND_MS", 100)


def _hold_write_lock(db: Path, seconds: float, taken: threading.Event) -> threading.Thread:
    def hold() -> None:
        with Store(db) as other, other.writer():
            taken.set()
            time.sleep(seconds)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert taken.wait(10)
    return thread


@pytest.mark.sqlite_only("SQLite's one writer at a time; PostgreSQL writers "
                        "wait only for shared rows (test_postgres.py)")
def test_writer_waits_for_another_writer_and_says_so(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = Store(db_path, write_wait_s=30)
    holder = _hold_write_lock(db_path, 1.0, threading.Event())
    started = time.monotonic()
    with caplog.at_level(logging.WARNING), store.writer() as w:
        w.conn.exec_driver_sql("CREATE TABLE mine (x)")
    assert time.monotonic() - started >= 0.5
    assert "is being written by another process; waiting for it" in caplog.text
    assert "the other writer finished" in caplog.text
    holder.join()
    store.close()


@pytest.mark.sqlite_only("SQLite's one writer at a time; PostgreSQL writers "
                        "wait only for shared rows (test_postgres.py)")
def test_writer_gives_up_with_a_clear_error_not_a_raw_sqlite_one(db_path: Path) -> None:
    store = Store(db_path, write_wait_s=0.5)
    holder = _hold_write_lock(db_path, 2.0, threading.Event())
    with pytest.raises(StoreBusyError, match="stayed locked by another writer") as err, \
            store.writer():
        pass
    assert "try again when it has finished" in str(err.value)
    assert str(db_path) in str(err.value)
    holder.join()
    store.close()


def test_opening_an_up_to_date_store_does_not_wait_for_a_writer(db_path: Path) -> None:
    Store(db_path).close()  # migrated
    holder = _hold_write_lock(db_path, 2.0, threading.Event())
    started = time.monotonic()
    with Store(db_path, write_wait_s=0.2) as store:
        assert store.known_inputs(["nothing"]) == {}
    assert time.monotonic() - started < 1.0
    holder.join()


def test_two_stores_creating_one_new_file_at_once_both_open_it(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            Store(db).close()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with Store(db) as store:
        assert store.applied_migrations()
