"""The store: the one place that speaks SQL. SQLite by default (WAL, FTS5); PostgreSQL for a
store many processes and machines share (`Store("postgresql://…")`).

Queries are SQLAlchemy Core over the tables in `schema.py`, or plain SQL both databases
accept; what differs between them (connecting, DDL, write transactions, full-text search,
the clustering leader) is in `dialect.py`. All writes go through `Store.writer()`: one
transaction per batch, so a process killed mid-ingest leaves every article either fully
stored or absent, and a rerun completes the rest.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    Connection,
    bindparam,
    delete,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError, OperationalError

from corroborate.errors import UsageError
from corroborate.records import (
    Article,
    DocFormat,
    EntityKind,
    Extraction,
    Outcome,
    Removal,
    StoredArticle,
)
from corroborate.store import schema as t
from corroborate.store.checks import CheckReads, CheckWrites
from corroborate.store.codec import extraction_from_json, extraction_to_json
from corroborate.store.corrections import CorrectionReads, CorrectionWrites
from corroborate.store.dialect import open_engine, shown
from corroborate.store.export import ExportReads
from corroborate.store.jobs import JobRecords
from corroborate.store.locking import WRITE_WAIT_S
from corroborate.store.stories import OUTDATED, StoryReads, StoryWrites
from corroborate.store.watch import WatchReads, WatchWrites

DEFAULT_DB = "corroborate.db"
WRITE_TRIES = 5  # a write that keeps losing races with other writers gives up after these
_T = TypeVar("_T")
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One full-text search result: the article and a highlighted snippet."""

    article: StoredArticle
    snippet: str
    rank: float


class Store:
    """An article store on one SQLite file (or `":memory:"` for tests), or on a PostgreSQL
    database (`postgresql://user@host/db`)."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, write_wait_s: float = WRITE_WAIT_S
                 ) -> None:
        self.path = str(path)
        self.write_wait_s = write_wait_s  # how long a write waits for another process's
        self.label = shown(self.path)  # as messages name it: a URL's password left out
        self.engine, self.dialect = open_engine(self.path)
        self._leading = threading.local()  # this thread holds the clustering lead
        self._migrate()
        self.stories = StoryReads(self.engine)
        self.jobs = JobRecords(self.engine)
        self.corrections = CorrectionReads(self.engine)
        self.checks = CheckReads(self.engine)
        self.watch = WatchReads(self.engine)
        self.exports = ExportReads(self.engine)

    # -- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        """Apply missing migrations (this database's DDL for each name) under the migration
        lock: two processes may open a new store at once. A store already up to date is
        only read, so opening it never waits."""
        migrations = self.dialect.migrations
        try:
            if not self._migrations_missing():
                return
            with self.dialect.write_transaction(self.engine, self.label,
                                                self.write_wait_s) as conn:
                self.dialect.lock_migrations(conn)
                conn.exec_driver_sql(
                    "CREATE TABLE IF NOT EXISTS schema_migrations "
                    "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
                )
                done = set(conn.scalars(select(t.schema_migrations.c.name)))
                for name, statements in migrations:
                    if name in done:
                        continue
                    for statement in statements:
                        conn.exec_driver_sql(statement)
                    conn.execute(insert(t.schema_migrations).values(name=name, applied_at=_now()))
        except OperationalError as exc:
            raise UsageError(f"cannot open database {self.label}: {exc.orig}") from None

    def _migrations_missing(self) -> bool:
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("schema_migrations"):
                return True
            done = set(conn.scalars(select(t.schema_migrations.c.name)))
        return any(name not in done for name, _ in self.dialect.migrations)

    def applied_migrations(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.scalars(select(t.schema_migrations.c.name).order_by("name")))

    # -- writes ------------------------------------------------------------------------

    @contextmanager
    def writer(self) -> Iterator[StoreWriter]:
        """A write transaction; committed when the block ends, rolled back on error.

        While another process writes (SQLite), or writes the same rows (PostgreSQL), this
        waits (saying so) rather than fail; see `locking` and `dialect`.
        """
        with self.dialect.write_transaction(self.engine, self.label, self.write_wait_s) as conn:
            yield StoreWriter(conn)

    def write(self, work: Callable[[StoreWriter], _T], tries: int = WRITE_TRIES) -> _T:
        """`work` in one write transaction (as `writer()`), run again from the start when
        it lost a race with another writer: on PostgreSQL two ingests may deadlock on the
        entities they both add, or store one text at once; the transaction that loses is
        rolled back whole, so `work` must only write through the writer it is given."""
        for attempt in range(1, tries + 1):
            try:
                with self.writer() as w:
                    return work(w)
            except DBAPIError as exc:
                if attempt == tries or not self.dialect.lost_race(exc):
                    raise
                log.info("database %s: a write lost a race with another writer (%s); "
                         "writing it again", self.label, type(exc.orig).__name__)
        raise AssertionError("unreachable")

    @contextmanager
    def clustering_leader(self) -> Iterator[None]:
        """Be the one clustering run of this store for the block. On PostgreSQL an advisory
        lock: many processes write articles at once, one at a time writes stories. On SQLite
        a no-op: its single writer and the clustering epoch order the runs already."""
        if getattr(self._leading, "depth", 0):  # a run inside a run (cluster -> recluster)
            yield
            return
        with self.dialect.leader(self.engine, self.label, self.write_wait_s):
            self._leading.depth = 1
            try:
                yield
            finally:
                self._leading.depth = 0

    # -- reads -------------------------------------------------------------------------

    def known_inputs(self, raw_shas: Sequence[str]) -> dict[str, int]:
        """Map of the given input hashes already ingested to their article ids."""
        with self.engine.connect() as conn:
            return StoreWriter(conn).known_inputs(raw_shas)

    def get_article(self, article_id: int) -> StoredArticle | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.articles).where(t.articles.c.id == article_id)).first()
        return _to_stored(row._mapping) if row else None

    def get_articles(self, article_ids: Sequence[int]) -> list[StoredArticle]:
        """The given articles, in the order asked (missing ids are left out)."""
        query = select(t.articles).where(t.articles.c.id.in_(list(article_ids)))
        with self.engine.connect() as conn:
            rows = {row.id: _to_stored(row._mapping) for row in conn.execute(query)}
        return [rows[i] for i in article_ids if i in rows]

    def get_extraction(self, article_id: int) -> Extraction | None:
        """An article's extraction, a short name resolved to the full name the corpus has
        given it since ("Putin" saved before any article said "Vladimir Putin")."""
        query = select(t.extractions.c.data).where(t.extractions.c.article_id == article_id)
        with self.engine.connect() as conn:
            data = conn.scalar(query)
            if data is None:
                return None
            extraction = extraction_from_json(data)
            short = {m.key for m in extraction.entities
                     if m.kind is EntityKind.PERSON and " " not in m.key}
            if not short:
                return extraction
            a, e = t.entity_aliases, t.entities
            rows = conn.execute(select(a.c.alias, a.c.key, e.c.name)
                                .join(e, e.c.key == a.c.key).where(a.c.alias.in_(short))).all()
        return _rekey(extraction, {alias: (key, name) for alias, key, name in rows})

    def articles_to_extract(self, version: str, redo: bool = False) -> list[int]:
        """Ids of articles with no extraction (or an older version; all of them if redo)."""
        a, e = t.articles, t.extractions
        query = select(a.c.id).select_from(a.outerjoin(e, e.c.article_id == a.c.id))
        if not redo:
            query = query.where((e.c.article_id.is_(None)) | (e.c.version != version))
        with self.engine.connect() as conn:
            return list(conn.scalars(query.order_by(a.c.id)))

    def canonical_entity(self, key: str) -> str:
        """The key an alias stands for ("person:putin" -> "person:vladimir putin")."""
        query = select(t.entity_aliases.c.key).where(t.entity_aliases.c.alias == key)
        with self.engine.connect() as conn:
            return conn.scalar(query) or key

    def get_raw(self, article_id: int) -> bytes | None:
        query = select(t.raw_documents.c.compressed).where(
            t.raw_documents.c.article_id == article_id
        )
        with self.engine.connect() as conn:
            blob = conn.scalar(query)
        return zlib.decompress(blob) if blob is not None else None

    def list_articles(
        self,
        *,
        outlet: str | None = None,
        language: str | None = None,
        since: str | None = None,
        until: str | None = None,
        originals_only: bool = False,
        limit: int | None = 50,
        offset: int = 0,
    ) -> list[StoredArticle]:
        """Articles newest first (by publication instant, then id), filtered as asked.

        `since` / `until` are days (YYYY-MM-DD), both included, compared with the day the
        outlet printed (the date part of its local timestamp): "published on 27 June" means
        the outlet's 27 June, as a reader of that outlet saw it, whatever the UTC day.
        """
        a = t.articles
        query = select(a).where(*_article_filters(outlet, language, since, until,
                                                  originals_only))
        # julianday() reads the UTC offset: ISO strings with different offsets do not sort
        # as text ("23:00-05:00" is after "01:00+00:00" the next day).
        query = query.order_by(func.julianday(a.c.published).desc().nulls_last(), a.c.id.desc())
        query = query.limit(limit).offset(offset)
        with self.engine.connect() as conn:
            return [_to_stored(row._mapping) for row in conn.execute(query)]

    def count_articles(
        self,
        *,
        outlet: str | None = None,
        language: str | None = None,
        since: str | None = None,
        until: str | None = None,
        originals_only: bool = False,
    ) -> int:
        """How many articles `list_articles` pages through with the same filters."""
        query = select(func.count()).select_from(t.articles).where(
            *_article_filters(outlet, language, since, until, originals_only))
        with self.engine.connect() as conn:
            return conn.scalar(query) or 0

    def inputs_for(self, article_id: int) -> list[dict[str, Any]]:
        """Every input that led to this article (its own, and exact duplicates seen later)."""
        query = (
            select(t.inputs)
            .where(t.inputs.c.article_id == article_id)
            .order_by(t.inputs.c.seen_at)
        )
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def near_duplicates_of(self, article_id: int) -> list[StoredArticle]:
        query = select(t.articles).where(t.articles.c.near_duplicate_of == article_id)
        with self.engine.connect() as conn:
            return [_to_stored(row._mapping) for row in conn.execute(query.order_by("id"))]

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Full-text search over titles and clean text, best first: FTS5's bm25 on SQLite,
        ts_rank_cd on PostgreSQL (title words weigh five times body words on both).

        The user's words are passed as words only (FTS5 phrases; plainto_tsquery), so search
        syntax in a query cannot cause an error or change the meaning of the SQL.
        """
        match = self.dialect.fts_query(_words(query))
        if not match:
            return []
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(self.dialect.search_sql(), (match, limit, offset)
                                        ).mappings().all()
        return [SearchHit(_to_stored(row), row["snippet"], row["rank"]) for row in rows]

    def count_matches(self, query: str) -> int:
        """How many articles a full-text search matches (what `search` pages through)."""
        match = self.dialect.fts_query(_words(query))
        if not match:
            return 0
        with self.engine.connect() as conn:
            return int(conn.exec_driver_sql(self.dialect.count_matches_sql(), (match,)
                                            ).scalar() or 0)


def _article_filters(outlet: str | None, language: str | None, since: str | None,
                     until: str | None, originals_only: bool) -> list[Any]:
    a = t.articles
    where: list[Any] = []
    if outlet:
        where.append(func.lower(a.c.outlet) == outlet.lower())  # index articles_outlet_folded
    if language:
        where.append(a.c.language == language)
    if since:
        where.append(a.c.published >= since)
    if until:
        where.append(a.c.published <= until + "\uffff")
    if originals_only:
        where.append(a.c.near_duplicate_of.is_(None))
    return where


# The per-article statements of ingest run as plain SQL through the driver: SQLAlchemy's
# statement handling cost about as much as SQLite itself here (cProfile, JSONL ingest).
# Plain SQL that both databases accept (PostgreSQL's engine turns `?` into `%s`).
_SQL_BY_TEXT_HASH = "SELECT id FROM articles WHERE text_hash = ?"
_SQL_BAND_HITS = "SELECT DISTINCT article_id FROM minhash_bands WHERE bucket IN ({})"
_SQL_SIGNATURES = (
    "SELECT s.article_id, s.signature, a.near_duplicate_of FROM minhash_signatures AS s "
    "JOIN articles AS a ON a.id = s.article_id WHERE s.article_id IN ({})"
)
_ARTICLE_COLUMNS = [c.name for c in t.articles.columns if c.name != "id"]
_SQL_INSERT_ARTICLE = (
    f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _ARTICLE_COLUMNS)}) RETURNING id"
)
_SQL_INSERT_RAW = "INSERT INTO raw_documents (article_id, compressed) VALUES (?, ?)"
_SQL_INSERT_SIGNATURE = "INSERT INTO minhash_signatures (article_id, signature) VALUES (?, ?)"
_SQL_INSERT_BAND = "INSERT INTO minhash_bands (band, bucket, article_id) VALUES (?, ?, ?)"
_SQL_INSERT_INPUT = (
    "INSERT INTO inputs (raw_sha256, source, outcome, article_id, similarity, "
    "seen_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
)


def _marks(n: int) -> str:
    return ", ".join("?" * n)

_KNOWN_INPUTS = select(t.inputs.c.raw_sha256, t.inputs.c.article_id).where(
    t.inputs.c.raw_sha256.in_(bindparam("shas", expanding=True))
)

_INSERT_EXTRACTION = insert(t.extractions)
_INSERT_MENTION = insert(t.entity_mentions)
_INSERT_CLAIM = insert(t.claims)
_INSERT_ALIAS = text("INSERT INTO entity_aliases (alias, key) VALUES (:alias, :key) "
                     "ON CONFLICT DO NOTHING")
_UPSERT_ENTITY = text("INSERT INTO entities (key, kind, name, country, lat, lon) "
                      "VALUES (:key, :kind, :name, :country, :lat, :lon) ON CONFLICT DO NOTHING")
_INSERT_PERSON_WORD = text("INSERT INTO person_words (word, key) VALUES (:word, :key) "
                           "ON CONFLICT DO NOTHING")


class StoreWriter:
    """Reads and writes inside one transaction: later articles see earlier ones of a batch."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.stories = StoryWrites(conn)
        self.corrections = CorrectionWrites(conn)
        self.checks = CheckWrites(conn)
        self.watch = WatchWrites(conn)

    def known_inputs(self, raw_shas: Sequence[str]) -> dict[str, int]:
        """Map of the given input hashes already ingested to their article ids."""
        if not raw_shas:
            return {}
        rows = self.conn.execute(_KNOWN_INPUTS, {"shas": list(raw_shas)})
        return {sha: aid for sha, aid in rows}

    def article_by_text_hash(self, text_hash: str) -> int | None:
        return self.conn.exec_driver_sql(_SQL_BY_TEXT_HASH, (text_hash,)).scalar()

    def minhash_candidates(self, bands: Sequence[int]) -> list[tuple[int, bytes, int | None]]:
        """Articles sharing at least one LSH band: (id, signature, near_duplicate_of)."""
        if not bands:
            return []
        sql = _SQL_BAND_HITS.format(_marks(len(bands)))
        ids = sorted(row[0] for row in self.conn.exec_driver_sql(sql, tuple(bands)))
        if not ids:
            return []
        rows = self.conn.exec_driver_sql(_SQL_SIGNATURES.format(_marks(len(ids))), tuple(ids))
        return [(row[0], row[1], row[2]) for row in rows]

    def add_article(
        self,
        article: Article,
        text_hash: str,
        raw: bytes,
        *,
        signature: bytes | None,
        bands: Sequence[int],
        near_duplicate_of: int | None = None,
        similarity: float | None = None,
    ) -> int:
        """Store a new article with its raw input, LSH bands and input record; return its id."""
        now = _now()
        values = {
            "text_hash": text_hash,
            "raw_sha256": article.raw_sha256,
            "source": article.source,
            "format": str(article.format),
            "url": article.url,
            "outlet": article.outlet,
            "title": article.title,
            "author": article.author,
            "published": article.published.isoformat() if article.published else None,
            "published_via": article.published_via,
            "language": article.language,
            "text": article.text,
            "removed_json": json.dumps(
                [{"text": r.text, "reason": r.reason} for r in article.removed],
                ensure_ascii=False,
            ),
            "extractor": article.extractor,
            "near_duplicate_of": near_duplicate_of,
            "near_duplicate_similarity": similarity,
            "ingested_at": now,
        }
        c = self.conn
        article_id = c.exec_driver_sql(
            _SQL_INSERT_ARTICLE, tuple(values[col] for col in _ARTICLE_COLUMNS)
        ).scalar_one()
        c.exec_driver_sql(_SQL_INSERT_RAW, (article_id, zlib.compress(raw, 6)))
        if signature is not None:
            c.exec_driver_sql(_SQL_INSERT_SIGNATURE, (article_id, signature))
            c.exec_driver_sql(_SQL_INSERT_BAND,
                              [(i, k, article_id) for i, k in enumerate(bands)])
        outcome = Outcome.NEAR_DUPLICATE if near_duplicate_of else Outcome.INGESTED
        self.record_input(article.raw_sha256, article.source, outcome, article_id, similarity)
        return article_id

    def save_extraction(self, article_id: int, extraction: Extraction) -> Extraction:
        """Store (or replace) an article's extraction; returns it with person keys resolved.

        A short name ("Putin") takes the key of the one full name in the corpus that ends or
        starts with it; a full name arriving later makes the short key an alias of it.
        """
        extraction, aliases = self._resolve_people(extraction)
        c = self.conn
        for table in (t.entity_mentions, t.claims, t.extractions):
            c.execute(delete(table).where(table.c.article_id == article_id))
        # A cluster profile holds entities, numbers and dates of the old extraction: mark it
        # outdated, so the next clustering run rebuilds the stories from the new one.
        profiles = t.cluster_profiles
        c.execute(update(profiles).where(profiles.c.article_id == article_id,
                                         profiles.c.version.not_like(f"%{OUTDATED}"))
                  .values(version=profiles.c.version + OUTDATED))
        c.execute(_INSERT_EXTRACTION, {
            "article_id": article_id, "version": extraction.version,
            "skipped": extraction.skipped, "data": extraction_to_json(extraction),
            "extracted_at": _now(),
        })
        seen: set[str] = set()
        for m in extraction.entities:
            if m.key not in seen:
                seen.add(m.key)
                c.execute(_UPSERT_ENTITY, {"key": m.key, "kind": str(m.kind), "name": m.name,
                                           "country": m.country, "lat": m.lat, "lon": m.lon})
                words = _name_words(m.key)
                if m.kind is EntityKind.PERSON and len(words) > 1:
                    c.execute(_INSERT_PERSON_WORD, [{"word": w, "key": m.key}
                                                    for w in dict.fromkeys((words[0], words[-1]))])
        for alias, key in aliases:  # after the entities they point to exist
            if key is None:  # two full names share this short one now: it names neither
                c.execute(delete(t.entity_aliases).where(t.entity_aliases.c.alias == alias))
            else:
                c.execute(_INSERT_ALIAS, {"alias": alias, "key": key})
        if extraction.entities:
            c.execute(_INSERT_MENTION, [{"article_id": article_id, "key": m.key,
                                         "start": m.start, "end": m.end}
                                        for m in extraction.entities])
        if extraction.claims:
            c.execute(_INSERT_CLAIM, [{
                "article_id": article_id, "position": i, "start": cl.start, "end": cl.end,
                "certainty": str(cl.certainty), "text": cl.text,
                "primary_source": (cl.chain[-1].key or cl.chain[-1].source) if cl.chain else None,
            } for i, cl in enumerate(extraction.claims)])
        return extraction

    def _resolve_people(self, extraction: Extraction
                        ) -> tuple[Extraction, list[tuple[str, str | None]]]:
        """Short names to the corpus's one full name; the aliases short -> full this
        extraction makes (full None: the short name has become ambiguous)."""
        people = {m.key: m.name for m in extraction.entities if m.kind is EntityKind.PERSON}
        words_of = {key: _name_words(key) for key in people}
        # this article's own full names count too ("Hillary Clinton" and "Bill Clinton" in
        # one article make "Clinton" ambiguous before either is stored)
        own: dict[str, dict[str, str]] = {}
        for key, name in people.items():
            words = words_of[key]
            if len(words) > 1:
                for word in (words[0], words[-1]):
                    own.setdefault(word, {})[key] = name
        mapping: dict[str, tuple[str, str]] = {}
        aliases: list[tuple[str, str | None]] = []
        for key, words in words_of.items():
            if len(words) == 1:
                full = self._unique_full_name(words[0], own.get(words[0], {}))
                if full is not None:
                    mapping[key] = full
            else:
                for short in dict.fromkeys((words[0], words[-1])):
                    unique = self._unique_full_name(short, own[short]) is not None
                    aliases.append((f"person:{short}", key if unique else None))
        return _rekey(extraction, mapping), aliases

    def _unique_full_name(self, short: str, also: dict[str, str]) -> tuple[str, str] | None:
        """The one multi-word person whose key starts or ends with `short`, among the
        corpus's people still mentioned somewhere (a key an older extraction spelled
        otherwise names nobody now) and `also` (key -> name: the article's own)."""
        rows = self.conn.exec_driver_sql(
            "SELECT e.key, e.name FROM person_words w JOIN entities e ON e.key = w.key "
            "WHERE w.word = ? AND EXISTS (SELECT 1 FROM entity_mentions m WHERE m.key = w.key) "
            "LIMIT 3", (short,)).all()
        candidates = {**dict(rows), **also}
        if len(candidates) != 1:
            return None
        return next(iter(candidates.items()))

    def record_input(
        self,
        raw_sha256: str,
        source: str,
        outcome: Outcome,
        article_id: int,
        similarity: float | None = None,
    ) -> None:
        self.conn.exec_driver_sql(
            _SQL_INSERT_INPUT,
            (raw_sha256, source, str(outcome), article_id, similarity, _now()),
        )


def _name_words(key: str) -> list[str]:
    """The words of a person key ("person:kim jong un"; spelled alike by names.py)."""
    return key.removeprefix("person:").split()


def _rekey(extraction: Extraction, mapping: dict[str, tuple[str, str]]) -> Extraction:
    """The extraction with entity keys replaced: old key -> (new key, display name)."""
    if not mapping:
        return extraction
    entities = tuple(
        replace(m, key=mapping[m.key][0], name=mapping[m.key][1]) if m.key in mapping else m
        for m in extraction.entities
    )
    claims = tuple(
        replace(c, entities=tuple(mapping.get(k, (k,))[0] for k in c.entities))
        for c in extraction.claims
    )
    return replace(extraction, entities=entities, claims=claims)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _words(query: str) -> list[str]:
    """The words of a free-text query, all required (the dialect quotes them)."""
    return re.findall(r"\w+", query)


def _to_stored(row: Any) -> StoredArticle:
    published = row["published"]
    article = Article(
        source=row["source"],
        format=DocFormat(row["format"]),
        text=row["text"],
        title=row["title"],
        author=row["author"],
        outlet=row["outlet"],
        url=row["url"],
        published=datetime.fromisoformat(published) if published else None,
        published_via=row["published_via"],
        language=row["language"],
        removed=tuple(Removal(r["text"], r["reason"]) for r in json.loads(row["removed_json"])),
        extractor=row["extractor"],
        raw_sha256=row["raw_sha256"],
    )
    return StoredArticle(
        id=row["id"],
        article=article,
        text_hash=row["text_hash"],
        near_duplicate_of=row["near_duplicate_of"],
        near_duplicate_similarity=row["near_duplicate_similarity"],
        ingested_at=datetime.fromisoformat(row["ingested_at"]),
    )
