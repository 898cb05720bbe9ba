"""Stored cross-checks (migration 0009): a dossier read is a store read.

A story's cross-check takes a second or more to compute, so it is computed in the background
(`pipeline.recompute_stale`) and kept here with its version, the member articles it was made
from, and counts for lists. Whatever changes a story marks it stale in that same write: SQL
triggers on `story_members` and `extractions` (migration 0009) cover clustering, second looks,
merges, reclustering, analysts' corrections and re-extraction alike, and the marks survive a
killed process. A read says whether what it serves is current, and if not since when it is
stale and how many stories are queued before it (the queue runs newest stories first).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine

from corroborate.records import CrossCheck, Story, Verdict
from corroborate.store.codec import crosscheck_from_blob, crosscheck_to_blob
from corroborate.store.dialect import marks
from corroborate.versions import CROSSCHECK_VERSION

# Newest first: by the instant of the story's latest article (julianday reads UTC offsets).
_NEWEST = "MAX(julianday(COALESCE(a.published, a.ingested_at)))"
_QUEUE = (
    f"SELECT q.story_id, q.seq, {_NEWEST} AS newest FROM story_checks_stale q "
    "JOIN story_members m ON m.story_id = q.story_id JOIN articles a ON a.id = m.article_id "
    "GROUP BY q.story_id"
)
MAX_AHEAD = 10_000  # a queue position is counted up to this


@dataclass(frozen=True, slots=True)
class CheckSummary:
    """What a list shows of a story's stored cross-check."""

    articles: int
    outlets: int  # distinct outlets, syndicated copies counted once
    facts: int  # as the dossier header counts them (dated details included)
    conflicts: int
    disputed: int
    developing: int
    origins: int  # independent origins behind the main facts
    computed_at: datetime
    current: bool  # of this code version and not marked stale since


@dataclass(frozen=True, slots=True)
class Staleness:
    """Why a stored cross-check is not current, and when a fresh one will be there."""

    why: str  # "its articles changed", "made by an older cross-check version", "not computed"
    since: datetime | None  # when the story changed (None when unknown)
    ahead: int  # stale stories the background recompute does before this one

    def describe(self) -> str:
        when = f" since {self.since.isoformat(sep=' ')}" if self.since else ""
        ahead = f"{self.ahead}+" if self.ahead >= MAX_AHEAD else str(self.ahead)
        story = "story" if self.ahead == 1 else "stories"
        return f"stale{when} ({self.why}); recompute queued, {ahead} {story} ahead"


@dataclass(frozen=True, slots=True)
class StoredCheck:
    """A story's stored cross-check as a read finds it."""

    story_id: int  # the story asked about (live)
    check: CrossCheck | None  # None: never computed for this story or one merged into it
    summary: CheckSummary | None
    computed_for: int | None  # the story it was computed for: another id when a story merged
    # into this one (or reclustered into it) lends its last version until this one's is made
    members: tuple[int, ...]  # the articles it was computed from
    stale: Staleness | None  # None: current

    @property
    def current(self) -> bool:
        """A cross-check is stored (loaded or not) and nothing changed since."""
        return self.summary is not None and self.stale is None


def summarize(check: CrossCheck, computed_at: datetime) -> CheckSummary:
    """The list columns of a cross-check."""
    facts = check.facts
    outlets = {a.outlet for a in check.articles if a.copy_of is None}
    return CheckSummary(
        articles=len(check.articles),
        outlets=len(outlets),
        facts=len(facts),
        conflicts=sum(f.verdict is Verdict.CONFLICT for f in facts),
        disputed=sum(f.verdict is Verdict.DISPUTED for f in facts),
        developing=sum(f.verdict is Verdict.DEVELOPING for f in facts),
        origins=len(check.origins),
        computed_at=computed_at,
        current=True,
    )


def members_state(conn: Connection, article_ids: Sequence[int]) -> str:
    """A hash of the member articles and their extractions (version, when made): equal
    states, equal cross-check input."""
    ids = sorted(set(article_ids))
    rows = dict(
        conn.exec_driver_sql(
            "SELECT article_id, version || '@' || extracted_at FROM extractions "
            f"WHERE article_id IN ({marks(len(ids))})",
            tuple(ids),
        ).all()
    ) if ids else {}
    text = ";".join(f"{i}:{rows.get(i, '-')}" for i in ids)
    return hashlib.sha1(text.encode()).hexdigest()


class CheckReads:
    """Read-only queries (one short connection each)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(
        self, story_id: int, members: Sequence[int], version: str, load: bool = True
    ) -> StoredCheck:
        """The stored cross-check of a live story with these members, and whether it is
        current. Without one of its own, the latest of a story merged into it stands in."""
        with self.engine.connect() as conn:
            row = conn.exec_driver_sql(
                f"SELECT {_COLUMNS} FROM story_checks c WHERE c.story_id = ?", (story_id,)
            ).first()
            if row is None:
                row = conn.exec_driver_sql(
                    f"SELECT {_COLUMNS} FROM story_checks c JOIN stories s "
                    "ON s.id = c.story_id WHERE s.merged_into = ? "
                    "ORDER BY c.computed_at DESC, c.story_id DESC LIMIT 1",
                    (story_id,),
                ).first()
            mark = conn.exec_driver_sql(
                "SELECT since FROM story_checks_stale WHERE story_id = ?", (story_id,)
            ).first()
            state = members_state(conn, members)
            stale = _staleness(row, story_id, state, version, mark)
            if stale is not None:
                stale = Staleness(stale.why, stale.since, _ahead(conn, story_id))
        if row is None:
            return StoredCheck(story_id, None, None, None, (), stale)
        summary = _summary(row, current=stale is None)
        check = crosscheck_from_blob(row.data) if load else None
        return StoredCheck(
            story_id, check, summary, row.story_id, tuple(json.loads(row.members)), stale
        )

    def summaries(self, story_ids: Iterable[int], version: str) -> dict[int, CheckSummary]:
        """List columns of the stories that have a stored cross-check (current or not)."""
        ids = list(dict.fromkeys(story_ids))
        if not ids:
            return {}
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                f"SELECT {_COLUMNS.replace('c.data, ', '')}, q.story_id AS marked "
                "FROM story_checks c LEFT JOIN story_checks_stale q ON q.story_id = c.story_id "
                f"WHERE c.story_id IN ({marks(len(ids))})",
                tuple(ids),
            ).all()
        return {
            r.story_id: _summary(r, current=r.marked is None and r.version == version) for r in rows
        }

    def state(self, article_ids: Sequence[int]) -> str:
        """The members state a cross-check of these articles would be stored under."""
        with self.engine.connect() as conn:
            return members_state(conn, article_ids)

    def mark(self, story_id: int) -> int | None:
        """The story's stale mark (None: not marked)."""
        with self.engine.connect() as conn:
            seq = conn.exec_driver_sql(
                "SELECT seq FROM story_checks_stale WHERE story_id = ?", (story_id,)
            ).scalar()
        return None if seq is None else int(seq)

    def of_story(self, story: Story, load: bool = True) -> StoredCheck:
        """`get` for a story record, against this code's cross-check version."""
        return self.get(story.id, [m.article_id for m in story.members], CROSSCHECK_VERSION, load)

    def check_of(self, computed_for: int) -> CrossCheck | None:
        """The cross-check stored under this story id (a `StoredCheck.computed_for`), loaded
        alone: a read that already has the summary need not redo the staleness queries."""
        with self.engine.connect() as conn:
            data = conn.exec_driver_sql(
                "SELECT data FROM story_checks WHERE story_id = ?", (computed_for,)).scalar()
        return None if data is None else crosscheck_from_blob(data)

    def queue(self, limit: int) -> list[tuple[int, int]]:
        """(story id, mark) of stale live stories, newest first: what to recompute next."""
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                f"{_QUEUE} ORDER BY newest DESC, q.story_id DESC LIMIT ?", (limit,)
            ).all()
        return [(r[0], r[1]) for r in rows]

    def pending(self) -> int:
        """Stale live stories waiting for a recompute."""
        with self.engine.connect() as conn:
            return int(
                conn.exec_driver_sql(
                    "SELECT COUNT(DISTINCT q.story_id) FROM story_checks_stale q "
                    "JOIN story_members m ON m.story_id = q.story_id"
                ).scalar()
                or 0
            )

    def outdated(self, version: str) -> int:
        """1 when some live story has no stored cross-check, or one of another version, and
        no stale mark yet (a version bump); else 0. Cheap: stops at the first."""
        with self.engine.connect() as conn:
            return int(
                conn.exec_driver_sql(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM story_members m "
                    "LEFT JOIN story_checks c ON c.story_id = m.story_id "
                    "LEFT JOIN story_checks_stale q ON q.story_id = m.story_id "
                    "WHERE (c.story_id IS NULL OR c.version != ?) AND q.story_id IS NULL "
                    "LIMIT 1) AS first_one",
                    (version,),
                ).scalar()
                or 0
            )

    def count(self) -> int:
        """Stored cross-checks (of live stories and of stories since merged away)."""
        with self.engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT COUNT(*) FROM story_checks").scalar() or 0)


class CheckWrites:
    """Writes inside the caller's transaction (a `Store.writer()` block)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def state(self, article_ids: Sequence[int]) -> str:
        return members_state(self.conn, article_ids)

    def queue_outdated(self, version: str) -> int:
        """Mark stale every live story with no stored cross-check or one of another version
        (the version constant was bumped); forget marks of stories no longer live."""
        self.conn.exec_driver_sql(
            "DELETE FROM story_checks_stale WHERE story_id NOT IN "
            "(SELECT story_id FROM story_members)"
        )
        return int(
            self.conn.exec_driver_sql(
                "INSERT INTO story_checks_stale (story_id, since) "
                "SELECT DISTINCT m.story_id, ? FROM story_members m "
                "LEFT JOIN story_checks c ON c.story_id = m.story_id "
                "WHERE c.story_id IS NULL OR c.version != ? "
                "ON CONFLICT (story_id) DO NOTHING",
                (_now(), version),
            ).rowcount
            or 0
        )

    def save(
        self,
        story_id: int,
        version: str,
        members: Sequence[int],
        state: str,
        check: CrossCheck,
        seconds: float,
        seq: int | None,
    ) -> bool:
        """Store a story's cross-check, replacing its older one and those of stories merged
        into it. Its stale mark is cleared only if still `seq`: a story changed since it was
        read stays queued. Returns whether the story is current now."""
        now = datetime.now(UTC).replace(microsecond=0)
        s = summarize(check, now)
        self.conn.exec_driver_sql(
            f"INSERT INTO story_checks ({', '.join(_CHECK_FIELDS)}) "
            f"VALUES ({marks(len(_CHECK_FIELDS))}) ON CONFLICT (story_id) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in _CHECK_FIELDS[1:]),
            (
                story_id,
                version,
                json.dumps(sorted(members)),
                state,
                crosscheck_to_blob(check),
                s.articles,
                s.outlets,
                s.facts,
                s.conflicts,
                s.disputed,
                s.developing,
                s.origins,
                now.isoformat(),
                round(seconds, 3),
            ),
        )
        self.conn.exec_driver_sql(
            "DELETE FROM story_checks WHERE story_id IN "
            "(SELECT id FROM stories WHERE merged_into = ?)",
            (story_id,),
        )
        if seq is None:
            return True
        self.conn.exec_driver_sql(
            "DELETE FROM story_checks_stale WHERE story_id = ? AND seq = ?", (story_id, seq)
        )
        return (
            self.conn.exec_driver_sql(
                "SELECT 1 FROM story_checks_stale WHERE story_id = ?", (story_id,)
            ).first()
            is None
        )

    def mark_stale(self, story_ids: Iterable[int]) -> None:
        """Queue these stories for a recompute (the triggers do this for story changes)."""
        now = _now()
        rows = [(sid, now) for sid in dict.fromkeys(story_ids)]
        if rows:
            self.conn.exec_driver_sql(
                "INSERT INTO story_checks_stale (story_id, since) VALUES (?, ?) "
                "ON CONFLICT (story_id) DO UPDATE SET seq = story_checks_stale.seq + 1", rows)


_CHECK_FIELDS = ("story_id", "version", "members", "state", "data", "articles", "outlets",
                 "facts", "conflicts", "disputed", "developing", "origins", "computed_at",
                 "seconds")
_COLUMNS = (
    "c.story_id, c.version, c.members, c.state, c.data, c.articles, c.outlets, "
    "c.facts, c.conflicts, c.disputed, c.developing, c.origins, c.computed_at"
)
_MISSING = "not computed yet"


def _staleness(row: Any, story_id: int, state: str, version: str, mark: Any) -> Staleness | None:
    since = _when(mark[0]) if mark is not None else None
    if row is None:
        return Staleness(_MISSING, since, 0)
    if row.version != version:
        return Staleness("made by an older cross-check version", since, 0)
    if row.story_id != story_id or row.state != state or mark is not None:
        return Staleness("its articles changed", since, 0)
    return None


def _ahead(conn: Connection, story_id: int) -> int:
    """Stale live stories the queue takes before this one (capped at MAX_AHEAD)."""
    mine = conn.exec_driver_sql(
        f"SELECT {_NEWEST} FROM story_members m JOIN articles a ON a.id = m.article_id "
        "WHERE m.story_id = ?",
        (story_id,),
    ).scalar()
    if mine is None:
        return 0
    return int(
        conn.exec_driver_sql(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM ({_QUEUE}) AS queue WHERE story_id != ? AND "
            "(newest > ? OR (newest = ? AND story_id > ?)) LIMIT ?) AS ahead",
            (story_id, mine, mine, story_id, MAX_AHEAD),
        ).scalar()
        or 0
    )


def _summary(row: Any, current: bool) -> CheckSummary:
    return CheckSummary(
        row.articles,
        row.outlets,
        row.facts,
        row.conflicts,
        row.disputed,
        row.developing,
        row.origins,
        _when(row.computed_at) or _epoch(),
        current,
    )


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _epoch() -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
