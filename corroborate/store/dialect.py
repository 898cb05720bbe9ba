"""What differs between the two databases the store runs on, and nothing else.

SQLite (a file, the embedded default) and PostgreSQL (`postgresql://…`, a store shared by a
team) run the same queries: the store's SQL is written once, in the common subset (qmark
`?` placeholders, `ON CONFLICT` upserts, `RETURNING`, `julianday()`, which the PostgreSQL
migrations define). What cannot be shared lives here, one named place per difference: how
to connect, the migrations' DDL, how a write transaction starts, full-text search, the
clustering leader's lock, case-insensitive LIKE and where NULLs sort.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import StaticPool

from corroborate.errors import StoreBusyError, UsageError
from corroborate.store import locking
from corroborate.store.locking import BUSY_TIMEOUT_MS
from corroborate.store.migrations import MIGRATIONS
from corroborate.store.pg_migrations import PG_MIGRATIONS

log = logging.getLogger(__name__)

# The test suite's switch: with a PostgreSQL server's URL here, every SQLite path (and
# ":memory:") a store is opened with stands for a database of that server instead, one per
# file (tests/conftest.py).
TEST_DB_ENV = "CORROBORATE_TEST_DB"
TEST_PREFIX_ENV = "CORROBORATE_TEST_DB_PREFIX"  # the test databases' names start with it
SQLITE_URL = "sqlite:///"  # a SQLite file (or ":memory:") named as a URL
LEADER_WAIT_ROUND_S = 0.2


def is_url(path: str) -> bool:
    """Whether a --db value names a PostgreSQL server rather than a SQLite file."""
    return path.startswith(("postgresql://", "postgresql+psycopg://", "postgres://"))


class SqliteDialect:
    """One file (WAL): many readers, one writer at a time (BEGIN IMMEDIATE)."""

    name = "sqlite"
    migrations = MIGRATIONS
    like = "LIKE"  # case-insensitive for ASCII already
    nulls_last = ""  # NULL sorts lowest: last in a DESC order

    def engine(self, path: str) -> Engine:
        return _sqlite_engine(path)

    @contextmanager
    def write_transaction(self, engine: Engine, name: str, wait_s: float
                          ) -> Iterator[Connection]:
        with locking.write_transaction(engine, name, wait_s) as conn:
            yield conn

    def lock_migrations(self, conn: Connection) -> None:
        """Nothing to take: the write transaction holds the whole file."""

    def lost_race(self, exc: DBAPIError) -> bool:
        """One writer at a time: no write loses a race."""
        return False

    @contextmanager
    def leader(self, engine: Engine, name: str, wait_s: float) -> Iterator[None]:
        """One writer at a time already, and the epoch check orders clustering runs."""
        yield

    def search_sql(self) -> str:
        return (
            "SELECT a.*, snippet(articles_fts, 1, '[', ']', '…', 12) AS snippet, "
            "bm25(articles_fts, 5.0, 1.0) AS rank "
            "FROM articles_fts JOIN articles AS a ON a.id = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?"
        )

    def count_matches_sql(self) -> str:
        return "SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?"

    def fts_query(self, terms: list[str]) -> str:
        """FTS5 phrases, all required: search syntax in a query means nothing."""
        return " ".join(f'"{term}"' for term in terms)


class PostgresDialect:
    """A server: many writers at once (row locks, ON CONFLICT), one clustering leader at a
    time (an advisory lock), tsvector + GIN for full-text search."""

    name = "postgresql"
    migrations = PG_MIGRATIONS
    like = "ILIKE"
    nulls_last = " NULLS LAST"  # NULL sorts highest: first in a DESC order unless told

    def engine(self, path: str) -> Engine:
        return _postgres_engine(path)

    @contextmanager
    def write_transaction(self, engine: Engine, name: str, wait_s: float
                          ) -> Iterator[Connection]:
        """A plain transaction: writers wait only for the rows another is writing, up to
        `wait_s` (lock_timeout), then fail with the same clear error SQLite's writer gives."""
        with engine.connect() as conn:
            try:
                with conn.begin():
                    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(wait_s * 1000)}")
                    yield conn
            except OperationalError as exc:
                if getattr(exc.orig, "sqlstate", None) == "55P03":  # lock_not_available
                    raise StoreBusyError(
                        f"database {name}: rows this write needs stayed locked by another "
                        f"writer for {wait_s:.0f} s; try again when it has finished") from None
                raise

    def lock_migrations(self, conn: Connection) -> None:
        """Two processes opening a new store at once migrate it one after the other."""
        conn.exec_driver_sql(
            "SELECT pg_advisory_xact_lock(hashtextextended('corroborate:migrate', 0))")

    def lost_race(self, exc: DBAPIError) -> bool:
        """Whether a write failed only because another wrote at the same moment (a deadlock,
        a serialization failure, a unique row the other stored first): run again, it sees
        the other's rows and goes through."""
        return getattr(exc.orig, "sqlstate", None) in ("40P01", "40001", "23505")

    @contextmanager
    def leader(self, engine: Engine, name: str, wait_s: float) -> Iterator[None]:
        """Hold the clustering leader's advisory lock for the
        block: a second clustering run waits for the first instead of racing it. Advisory
        locks are the database's: every process on this database sees the same one."""
        key = "SELECT hashtextextended('corroborate:cluster-leader', 0)"
        started = time.monotonic()
        warned = False
        with engine.connect() as conn:
            lock_key = conn.exec_driver_sql(key).scalar()
            while not conn.exec_driver_sql("SELECT pg_try_advisory_lock(?)", (lock_key,)
                                           ).scalar():
                conn.rollback()
                waited = time.monotonic() - started
                if waited >= wait_s:
                    raise StoreBusyError(
                        f"database {name}: another clustering run held the lead for "
                        f"{waited:.0f} s; try again when it has finished")
                if not warned:
                    log.warning("database %s: another process is clustering; waiting for it",
                                name)
                    warned = True
                time.sleep(LEADER_WAIT_ROUND_S)
            conn.commit()  # the lock is the session's; no transaction stays open
            try:
                yield
            finally:
                conn.exec_driver_sql("SELECT pg_advisory_unlock(?)", (lock_key,))
                conn.commit()

    def search_sql(self) -> str:
        # Title words weigh five times body words (weights are {D, C, B, A}), as bm25's
        # column weights do in SQLite; normalisation 1 divides by 1 + log(length), the
        # length damping bm25 has. Negated: lower is better, as bm25's rank.
        return (
            "SELECT a.id, a.text_hash, a.raw_sha256, a.source, a.format, a.url, a.outlet, "
            "a.title, a.author, a.published, a.published_via, a.language, a.text, "
            "a.removed_json, a.extractor, a.near_duplicate_of, a.near_duplicate_similarity, "
            "a.ingested_at, ts_headline('simple', a.text, q.q, 'StartSel=[, StopSel=], "
            "MaxWords=12, MinWords=4, MaxFragments=1, FragmentDelimiter=…') AS snippet, "
            "-ts_rank_cd('{0, 0, 0.2, 1.0}', a.search, q.q, 1) AS rank "
            "FROM articles AS a, plainto_tsquery('simple', ?) AS q(q) "
            "WHERE a.search @@ q.q ORDER BY rank, a.id LIMIT ? OFFSET ?"
        )

    def count_matches_sql(self) -> str:
        return "SELECT COUNT(*) FROM articles WHERE search @@ plainto_tsquery('simple', ?)"

    def fts_query(self, terms: list[str]) -> str:
        """Words for plainto_tsquery, which ANDs them and reads no operators."""
        return " ".join(terms)


Dialect = SqliteDialect | PostgresDialect
SQLITE = SqliteDialect()
POSTGRES = PostgresDialect()


def shown(path: str) -> str:
    """A store path as messages show it: a server URL without its password."""
    if not is_url(path):
        return path
    return make_url(path).render_as_string(hide_password=True)


def for_engine(engine: Engine | Connection) -> Dialect:
    """The dialect of an engine (or connection) the store made."""
    return POSTGRES if engine.dialect.name == "postgresql" else SQLITE


def dialect_for(path: str) -> Dialect:
    """Which database a store path names (the test switch included; `sqlite:///PATH` is
    SQLite whatever the switch says)."""
    if path.startswith(SQLITE_URL):
        return SQLITE
    if is_url(path) or os.environ.get(TEST_DB_ENV):
        return POSTGRES
    return SQLITE


def open_engine(path: str) -> tuple[Engine, Dialect]:
    dialect = dialect_for(path)
    return dialect.engine(path), dialect


def exists(path: str) -> bool:
    """Whether a store is there to read: a SQLite file, or any server URL (connecting says
    clearly when the database is not there)."""
    return is_url(path) or Path(path.removeprefix(SQLITE_URL)).expanduser().exists()


# -- SQLite --------------------------------------------------------------------------------


def _sqlite_engine(path: str) -> Engine:
    path = path.removeprefix(SQLITE_URL)
    if path == ":memory:":
        engine = create_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        _check_folder(path)
        engine = create_engine(
            f"sqlite:///{Path(path).expanduser()}",
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if path != ":memory:":
            _wal(cur)  # readers never block the one writer
        cur.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; safe in WAL
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # Writers take the write lock up front (no deadlock on lock upgrade), waiting for it
        # `lock_wait_ms` per try; readers take a snapshot and never wait for the writer (WAL).
        options = conn.get_execution_options()
        if not options.get("write_lock", False):
            conn.exec_driver_sql("BEGIN")
            return
        wait_ms = int(options.get("lock_wait_ms", BUSY_TIMEOUT_MS))
        conn.exec_driver_sql(f"PRAGMA busy_timeout={wait_ms}")
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        finally:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    return engine


_WAL_TRIES = 300  # x 0.1 s: as long as the busy timeout, for a new file opened by many at once


def _wal(cur: Any) -> None:
    """Switch to WAL. On a new file opened by several processes at once, SQLite answers
    "locked" at once (no busy handler: switching needs the file to itself), so try again."""
    for _ in range(_WAL_TRIES):
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() and "busy" not in str(exc).lower():
                raise
            time.sleep(0.1)
    cur.execute("PRAGMA journal_mode=WAL")  # the last try raises what SQLite says


def _check_folder(path: str) -> None:
    parent = Path(path).expanduser().resolve().parent
    if not parent.is_dir():
        raise UsageError(f"cannot create database {path}: folder {parent} does not exist")


# -- PostgreSQL ----------------------------------------------------------------------------


def _postgres_engine(path: str) -> Engine:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise UsageError("a PostgreSQL store needs psycopg: pip install 'psycopg[binary]'"
                         ) from None
    if is_url(path):
        url, test = path, False
    else:  # the test switch: this SQLite path stands for a database of the test server
        url, test = _test_database(path), True
    url = re.sub(r"^(postgresql|postgres)(\+psycopg)?://", "postgresql+psycopg://", url)
    # the web app's request threads and its background checker each hold one at a time;
    # under the test switch a test may copy a database, which ends other connections to it
    engine = create_engine(url, pool_size=8, max_overflow=24, pool_pre_ping=test)
    event.listen(engine, "before_cursor_execute", _qmark_to_format, retval=True)
    return engine


def _qmark_to_format(_conn: Any, _cursor: Any, statement: str, parameters: Any,
                     context: Any, _many: bool) -> tuple[str, Any]:
    """The store's plain SQL uses SQLite's `?`; psycopg wants `%s` (and `%` doubled).
    Statements SQLAlchemy compiled come in psycopg's style already."""
    if context is not None and context.compiled is None and parameters and \
            isinstance(parameters, (tuple, list)):
        statement = _format_style(statement)
    return statement, parameters


@lru_cache(maxsize=1024)
def _format_style(statement: str) -> str:
    return statement.replace("%", "%%").replace("?", "%s")


def _test_database(path: str) -> str:
    """The test server's database a SQLite path stands for (created when missing): the same
    for every process opening that file; a fresh one for each ":memory:" store."""
    server = os.environ[TEST_DB_ENV]
    if path != ":memory:":
        _check_folder(path)
        Path(path).expanduser().touch(exist_ok=True)  # the file is there, as with SQLite
    name = test_database_name(path)
    create_database(server, name)
    return server.rsplit("/", 1)[0] + "/" + name


def test_database_name(path: str) -> str:
    """The name of the database a SQLite path stands for under the test switch."""
    prefix = os.environ.get(TEST_PREFIX_ENV, "corroborate_test")
    if path == ":memory:":
        return f"{prefix}_m{uuid.uuid4().hex[:20]}"
    file = Path(path).expanduser().resolve()
    return f"{prefix}_f{hashlib.sha1(str(file).encode()).hexdigest()[:20]}"


def create_database(server: str, name: str, template: str | None = None) -> None:
    """CREATE DATABASE on the server (nothing if it exists): as a copy of `template` when
    given, after ending the connections to that one (a copy needs it to itself)."""
    import psycopg
    from psycopg import errors

    with psycopg.connect(server, autocommit=True) as conn:
        if template is not None:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = %s AND pid != pg_backend_pid()", (template,))
        try:
            conn.execute(f'CREATE DATABASE "{name}"'
                         + (f' TEMPLATE "{template}"' if template else ""))
        except errors.DuplicateDatabase:
            pass
        except errors.UniqueViolation:  # another process made it at the same moment
            pass


def marks(n: int) -> str:
    """`n` placeholders for an IN list ("NULL" for none: an empty list matches nothing)."""
    return ", ".join("?" * n) or "NULL"
