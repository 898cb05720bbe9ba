"""Stories in the store: memberships, merges, and the clusterer's saved profiles.

Kept apart from sqlite.py because it is a separate concern with its own tables (migration
0003). Merged-away stories keep their row with `merged_into`, so a story id a user once saw
resolves to where its articles went, across merges and reclustering alike.
"""

from __future__ import annotations

import json
import threading
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine

from corroborate.clock import as_utc
from corroborate.records import JoinEvidence, Story, StoryMember
from corroborate.store.dialect import for_engine, marks

if TYPE_CHECKING:
    import numpy as np

STORY_CACHE_SIZE = 4096  # stories kept loaded per store object (a few KB each)
RECLUSTERED = "reclustered"  # merge_reason of an id forwarded by a rebuild, not a real merge
# appended to the profile version of an article re-extracted since: no clusterer version
# matches it, so the next clustering run reclusters (see pipeline.cluster_stored), reusing
# the saved vector (it embeds title and lead, which a re-extraction does not change)
OUTDATED = "+outdated-extraction"


@dataclass(frozen=True, slots=True)
class ProfileRow:
    """A clustered (or to-be-clustered) article as the clusterer saved it."""

    article_id: int
    story_id: int | None
    published: datetime | None
    vector: bytes | None
    features: str
    near_duplicate_of: int | None


class StoryReads:
    """Read-only queries about stories (one short connection each).

    Loaded stories are kept (least recently used, STORY_CACHE_SIZE of them) under their
    `story_listing` row's change count: a page of stories reads one index range and the
    stories it has not seen since they last changed. Every membership and profile write
    bumps the count (triggers), so a kept story is never stale.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._kept: OrderedDict[tuple[Any, ...], Story] = OrderedDict()
        self._lock = threading.Lock()

    def epoch(self) -> int:
        """How many clustering writes the store has seen (see `StoryWrites.claim_epoch`)."""
        with self.engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT epoch FROM cluster_epoch").scalar() or 0)

    def stale_profiles(self, version: str) -> int:
        """Clustered articles whose saved profile is of another version (or outdated by a
        re-extraction)."""
        with self.engine.connect() as conn:
            return int(conn.exec_driver_sql(
                "SELECT COUNT(*) FROM story_members m JOIN cluster_profiles p "
                "ON p.article_id = m.article_id WHERE p.version != ?", (version,)).scalar() or 0)

    def next_story_id(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT COALESCE(MAX(id), 0) + 1 FROM stories")
                       .scalar() or 1)

    def merges(self) -> dict[int, int]:
        """Merged-away story id -> the story it went into."""
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT id, merged_into FROM stories WHERE merged_into IS NOT NULL")
            return {r[0]: r[1] for r in rows}

    def clustered(self) -> list[ProfileRow]:
        """Every clustered article with its saved profile, in the order it was clustered."""
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT m.article_id, m.story_id, a.published, p.vector, p.features, "
                "a.near_duplicate_of FROM story_members m "
                "JOIN articles a ON a.id = m.article_id "
                "JOIN cluster_profiles p ON p.article_id = m.article_id ORDER BY m.position")
            return [_profile_row(r) for r in rows]

    def profiles(self, version: str) -> dict[int, ProfileRow]:
        """Saved profiles of the current version, by article id (story left out)."""
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT p.article_id, NULL, a.published, p.vector, p.features, "
                "a.near_duplicate_of FROM cluster_profiles p "
                "JOIN articles a ON a.id = p.article_id WHERE p.version = ?", (version,))
            return {r[0]: _profile_row(r) for r in rows}

    def vectors(self, article_ids: Sequence[int], version: str) -> dict[int, bytes]:
        """Saved profile vectors of these articles, of this version, by article id."""
        if not article_ids:
            return {}
        marks = ", ".join("?" * len(article_ids))
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT article_id, vector FROM cluster_profiles WHERE version = ? "
                f"AND vector IS NOT NULL AND article_id IN ({marks})",
                (version, *article_ids))
            return {r[0]: r[1] for r in rows}

    def to_cluster(self) -> list[int]:
        """Extracted articles not yet in a story, in ingest order."""
        with self.engine.connect() as conn:
            return list(conn.exec_driver_sql(
                "SELECT e.article_id FROM extractions e LEFT JOIN story_members m "
                "ON m.article_id = e.article_id WHERE m.article_id IS NULL "
                "ORDER BY e.article_id").scalars())

    def all_extracted(self) -> list[tuple[int, datetime | None, int | None]]:
        """Every extracted article: (id, publication time, original if a near-duplicate)."""
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT a.id, a.published, a.near_duplicate_of FROM articles a "
                "JOIN extractions e ON e.article_id = a.id ORDER BY a.id")
            return [(r[0], _when(r[1]), r[2]) for r in rows]

    def resolve(self, story_id: int) -> int | None:
        """The live story an id stands for now, or None when no such story was ever made."""
        with self.engine.connect() as conn:
            return _resolve(conn, story_id)

    def story_of(self, article_id: int) -> int | None:
        with self.engine.connect() as conn:
            return conn.exec_driver_sql(
                "SELECT story_id FROM story_members WHERE article_id = ?", (article_id,)).scalar()

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.exec_driver_sql(
                "SELECT COUNT(*) FROM stories WHERE merged_into IS NULL").scalar() or 0)

    def get(self, story_id: int) -> Story | None:
        """A live story by id (a merged-away id resolves to its successor)."""
        live = self.resolve(story_id)
        if live is None:
            return None
        stories = self._load([live])
        return stories[0] if stories else None

    def list(self, limit: int = 50, offset: int = 0, min_size: int = 1) -> list[Story]:
        """Live stories, biggest first, then most recent (by instant: julianday reads offsets)."""
        return self.page(StoryQuery(min_size=min_size, sort="articles"), limit, offset)[0]

    def page(self, query: StoryQuery, limit: int, offset: int) -> tuple[list[Story], int]:
        """One page of live stories as asked, and how many stories match in all.

        Reads `story_listing` (one row per story, kept by triggers): the page is an index
        range and the total one count, whatever the number of articles.
        """
        where, params = _listing_filters(query, for_engine(self.engine).like)
        clause = " AND ".join(where)
        order = STORY_SORTS[query.sort].format(nulls_last=for_engine(self.engine).nulls_last)
        with self.engine.connect() as conn:
            total = int(conn.exec_driver_sql(
                f"SELECT COUNT(*) FROM story_listing s WHERE {clause}", tuple(params)).scalar()
                or 0)
            ids = list(conn.exec_driver_sql(
                f"SELECT s.story_id FROM story_listing s "
                f"WHERE {clause} ORDER BY {order} LIMIT ? OFFSET ?",
                (*params, limit, offset)).scalars())
        return self._load(ids), total

    def sharing_names(self, names: Sequence[str], exclude: int,
                      per_name: int) -> dict[int, tuple[str, ...]]:
        """The newest `per_name` live stories (but `exclude`) whose articles mention an
        entity of each exact name, with their outlets: what the dossier's "not covered by"
        compares with (story id → outlets, names in order, each newest first).

        An index range per name on `story_names` (migration 0014), which the clustering
        write keeps in its own transaction: a common name ("United States", hundreds of
        thousands of mentions at 100k articles) costs what a rare one does, and the answer
        is never behind the stories.
        """
        found: dict[int, tuple[str, ...]] = {}
        with self.engine.connect() as conn:
            for name in dict.fromkeys(names):
                found.update((sid, ()) for sid in conn.exec_driver_sql(
                    "SELECT story_id FROM story_names WHERE name = ? AND story_id != ? "
                    "ORDER BY last_instant DESC, story_id DESC LIMIT ?",
                    (name, exclude, per_name)).scalars())
            if not found:
                return found
            rows = conn.exec_driver_sql(
                "SELECT DISTINCT m.story_id, a.outlet FROM story_members m "
                "JOIN articles a ON a.id = m.article_id WHERE m.story_id IN "
                f"({marks(len(found))}) ORDER BY m.story_id, a.outlet",
                tuple(found)).all()
        outlets: dict[int, list[str]] = {sid: [] for sid in found}
        for sid, outlet in rows:
            if outlet:
                outlets[sid].append(outlet)
        return {sid: tuple(outlets[sid]) for sid in found}

    def stories_of(self, article_ids: Sequence[int]) -> dict[int, Story]:
        """The story each of these articles is in, by article id (unclustered ones left out)."""
        if not article_ids:
            return {}
        marks = ",".join("?" * len(article_ids))
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                f"SELECT article_id, story_id FROM story_members WHERE article_id IN ({marks})",
                tuple(article_ids)).all()
        stories = {s.id: s for s in self._load(list(dict.fromkeys(r[1] for r in rows)))}
        return {r[0]: stories[r[1]] for r in rows if r[1] in stories}

    def _load(self, story_ids: Sequence[int]) -> list[Story]:
        """These stories, in this order (kept ones from memory, the rest from the store)."""
        if not story_ids:
            return []
        marks = ",".join("?" * len(story_ids))
        with self.engine.connect() as conn:
            keys = {r[0]: tuple(r) for r in conn.exec_driver_sql(
                "SELECT story_id, changes, articles, last_instant FROM story_listing "
                f"WHERE story_id IN ({marks})", tuple(story_ids))}
        found: dict[int, Story] = {}
        with self._lock:
            for sid in story_ids:
                kept = self._kept.get(keys.get(sid, ()))
                if kept is not None:
                    found[sid] = kept
                    self._kept.move_to_end(keys[sid])
        missing = [sid for sid in story_ids if sid not in found]
        for story in self._read(missing):
            found[story.id] = story
            if story.id in keys:  # read after its key: as new as the key, or newer
                with self._lock:
                    self._kept[keys[story.id]] = story
                    while len(self._kept) > STORY_CACHE_SIZE:
                        self._kept.popitem(last=False)
        return [found[sid] for sid in story_ids if sid in found]

    def _read(self, story_ids: Sequence[int]) -> list[Story]:
        if not story_ids:
            return []
        marks = ",".join("?" * len(story_ids))
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT m.story_id, m.article_id, m.evidence, a.outlet, a.title, a.published, "
                f"p.vector, p.features FROM story_members m "
                f"JOIN articles a ON a.id = m.article_id "
                f"LEFT JOIN cluster_profiles p ON p.article_id = m.article_id "
                f"WHERE m.story_id IN ({marks}) ORDER BY m.position", tuple(story_ids)).all()
            merged = conn.exec_driver_sql(
                f"SELECT merged_into, id FROM stories WHERE merged_into IN ({marks}) "
                f"AND merge_reason != ? ORDER BY id", (*story_ids, RECLUSTERED)).all()
        by_story: dict[int, list[Any]] = {}
        for row in rows:
            by_story.setdefault(row[0], []).append(row)
        merged_from: dict[int, list[int]] = {}
        for into, gone in merged:
            merged_from.setdefault(into, []).append(gone)
        return [_story(sid, by_story[sid], merged_from.get(sid, []))
                for sid in story_ids if sid in by_story]


# How each sort orders `story_listing`: each an index on the sort's columns (migrations
# 0010 and 0011, the expressions verbatim), so a page is an index range, no sort step.
STORY_SORTS = {
    "newest": "s.last_instant DESC, s.story_id DESC",
    "articles": "s.articles DESC, s.last_instant DESC, s.story_id DESC",
    # Outlets as list rows show them: the stored cross-check's count where there is one (it
    # names unnamed outlets and counts a syndicated copy once), else the listing's.
    "outlets": "COALESCE(s.checked_outlets, s.outlets) DESC, s.last_instant DESC, "
               "s.story_id DESC",
    # By the stored cross-check (checks.py), current or stale, as list rows show it: the
    # conflicting and disputed facts; stories without a stored check (NULL) last.
    # (NULL sorts last where the database does not by itself: `nulls_last`, see dialect)
    "conflicts": "s.conflicts DESC{nulls_last}, s.last_instant DESC, s.story_id DESC",
}
PLACE_KINDS = ("place", "country")


@dataclass(frozen=True, slots=True)
class StoryQuery:
    """Which stories a list shows, and in what order (`sort`: a key of STORY_SORTS).

    `entity`, `place` and `outlet` match part of a name, whatever its case, among the
    entities (places: places and countries) and outlets of the story's articles; `since` and
    `until` are days (YYYY-MM-DD) the story's articles reach into; `article_ids`, when given,
    keeps only the stories of those articles (a full-text search's hits).
    """

    entity: str | None = None
    place: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    article_ids: tuple[int, ...] | None = None
    min_size: int = 1
    sort: str = "newest"


def _listing_filters(q: StoryQuery, like: str) -> tuple[list[str], list[Any]]:
    if q.sort not in STORY_SORTS:
        raise ValueError(f"unknown story sort {q.sort!r}")
    where: list[str] = ["s.articles >= ?"]
    params: list[Any] = [q.min_size]
    members_with = (
        "s.story_id IN (SELECT m.story_id FROM entities e "
        "JOIN entity_mentions em ON em.key = e.key "
        "JOIN story_members m ON m.article_id = em.article_id "
        f"WHERE e.name {like} ? ESCAPE '\\'{{}})")
    if q.entity:
        where.append(members_with.format(""))
        params.append(_like(q.entity))
    if q.place:
        where.append(members_with.format(f" AND e.kind IN {PLACE_KINDS!r}"))
        params.append(_like(q.place))
    if q.outlet:
        where.append(
            "s.story_id IN (SELECT m.story_id FROM articles a "
            "JOIN story_members m ON m.article_id = a.id WHERE a.outlet IN "
            f"(SELECT DISTINCT outlet FROM articles WHERE outlet {like} ? ESCAPE '\\'))")
        params.append(_like(q.outlet))
    if q.since:
        where.append("s.last_instant >= julianday(?)")
        params.append(q.since)
    if q.until:
        where.append("s.first_instant < julianday(?) + 1")  # before the next day
        params.append(q.until)
    if q.article_ids is not None:
        where.append("s.story_id IN (SELECT story_id FROM story_members WHERE article_id IN "
                     f"({','.join('?' * len(q.article_ids)) or 'NULL'}))")
        params.extend(q.article_ids)
    return where, params


def _like(text: str) -> str:
    """A LIKE pattern for `text` anywhere (its own % and _ taken literally)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class StoryWrites:
    """Writes inside the caller's transaction (a `Store.writer()` block)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def claim_epoch(self, expected: int) -> bool:
        """Move the epoch on from `expected`; False when another run wrote in between.

        Called first in each clustering write transaction: the run's in-memory state was
        read at `expected`, so it may write only if nobody else has since.
        """
        result = self.conn.exec_driver_sql(
            "UPDATE cluster_epoch SET epoch = epoch + 1 WHERE id = 1 AND epoch = ?",
            (expected,))
        return result.rowcount == 1

    def save_profile(self, article_id: int, version: str, vector: bytes | None,
                     features: str) -> None:
        self.conn.exec_driver_sql(
            "INSERT INTO cluster_profiles (article_id, version, vector, features) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET "
            "version = excluded.version, vector = excluded.vector, "
            "features = excluded.features", (article_id, version, vector, features))

    def add_story(self, story_id: int) -> None:
        """Record a story id (once; later members of the story call this too)."""
        self.conn.exec_driver_sql(
            "INSERT INTO stories (id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (story_id, _now()))

    def add_member(self, article_id: int, story_id: int, evidence: JoinEvidence) -> None:
        self.add_story(story_id)
        self.conn.exec_driver_sql(
            "INSERT INTO story_members (article_id, story_id, position, reason, evidence) "
            "VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM story_members), ?, ?)",
            (article_id, story_id, evidence.reason, evidence_to_json(evidence)))

    def move_member(self, article_id: int, story_id: int, evidence: JoinEvidence) -> None:
        """An article changes story (a second look): position kept, evidence replaced."""
        self.add_story(story_id)
        self.conn.exec_driver_sql(
            "UPDATE story_members SET story_id = ?, reason = ?, evidence = ? "
            "WHERE article_id = ?",
            (story_id, evidence.reason, evidence_to_json(evidence), article_id))

    def merge(self, gone: int, into: int, reason: str) -> None:
        """Move a story's members into another and leave a forwarding address."""
        if gone == into:
            raise ValueError(f"story {gone} cannot be merged into itself")
        self.add_story(into)
        self.conn.exec_driver_sql(
            "UPDATE story_members SET story_id = ? WHERE story_id = ?", (into, gone))
        self.conn.exec_driver_sql(
            "UPDATE stories SET merged_into = ?, merge_reason = ? WHERE id = ?",
            (into, reason, gone))

    # -- what corrections (corroborate.corrections) read and write in this transaction ----

    def bump_epoch(self) -> None:
        """Tell clustering runs that read the stories before now to read them again."""
        self.conn.exec_driver_sql("UPDATE cluster_epoch SET epoch = epoch + 1 WHERE id = 1")

    def resolve(self, story_id: int) -> int | None:
        """As `StoryReads.resolve`, seeing this transaction's writes."""
        return _resolve(self.conn, story_id)

    def members(self, story_id: int) -> list[int]:
        """A story's article ids, in arrival order."""
        return list(self.conn.exec_driver_sql(
            "SELECT article_id FROM story_members WHERE story_id = ? ORDER BY position",
            (story_id,)).scalars())

    def story_of(self, article_id: int) -> int | None:
        return self.conn.exec_driver_sql(
            "SELECT story_id FROM story_members WHERE article_id = ?", (article_id,)).scalar()

    def around(self, article_ids: Sequence[int]) -> dict[int, int]:
        """Article -> story for every member of the stories holding any of these articles."""
        if not article_ids:
            return {}
        rows = self.conn.exec_driver_sql(
            "SELECT article_id, story_id FROM story_members WHERE story_id IN ("
            "SELECT story_id FROM story_members WHERE article_id IN "
            f"({marks(len(article_ids))}))", tuple(article_ids))
        return {r[0]: r[1] for r in rows}

    def next_id(self) -> int:
        """A story id never used, as this transaction sees the stories."""
        return int(self.conn.exec_driver_sql(
            "SELECT COALESCE(MAX(id), 0) + 1 FROM stories").scalar() or 1)

    def clear_members(self) -> list[tuple[int, int]]:
        """Forget every membership (for reclustering); returns the (article, story) pairs."""
        old = [(r[0], r[1]) for r in self.conn.exec_driver_sql(
            "SELECT article_id, story_id FROM story_members")]
        self.conn.exec_driver_sql("DELETE FROM story_members")
        return old


def _resolve(conn: Connection, story_id: int) -> int | None:
    """Follow merged_into from `story_id` to the live story (None: never made, or a loop)."""
    seen = set()
    while story_id not in seen:
        seen.add(story_id)
        row = conn.exec_driver_sql(
            "SELECT merged_into FROM stories WHERE id = ?", (story_id,)).first()
        if row is None:
            return None
        if row[0] is None:
            return story_id
        story_id = row[0]
    return None


def evidence_to_json(e: JoinEvidence) -> str:
    data = {k: getattr(e, k) for k in JoinEvidence.__slots__}
    data["shared_entities"] = list(e.shared_entities)
    return json.dumps({k: v for k, v in data.items() if v not in (None, [])},
                      ensure_ascii=False)


def evidence_from_json(data: str) -> JoinEvidence:
    d = json.loads(data)
    d["shared_entities"] = tuple(d.get("shared_entities", ()))
    return JoinEvidence(**d)


def _story(story_id: int, rows: list[Any], merged_from: list[int]) -> Story:
    import numpy as np  # here: listing articles or corrections needs no story, nor numpy

    members = tuple(StoryMember(article_id=r[1], joined=evidence_from_json(r[2]), outlet=r[3],
                                title=r[4], published=_when(r[5])) for r in rows)
    dates = [m.published for m in members if m.published is not None]
    outlets = tuple(dict.fromkeys(m.outlet for m in members if m.outlet))
    entity_docs: Counter[str] = Counter()
    names: dict[str, str] = {}
    places: Counter[str] = Counter()
    vectors: list[tuple[np.ndarray, str | None]] = []
    for r in rows:
        if r[7]:
            f = json.loads(r[7])
            entity_docs.update(f.get("entities", {}).keys())
            for key, name in f.get("names", {}).items():
                if key not in names or names[key].isupper():  # "ANTWERP" from a dateline
                    names[key] = name
            places.update(f.get("places", []))
        if r[6]:
            vectors.append((np.frombuffer(r[6], dtype=np.float32), r[4]))
    return Story(
        id=story_id,
        title=_central_title(vectors) or next((m.title for m in members if m.title), "")
        or f"Story {story_id}",
        members=members,
        outlets=outlets,
        first_seen=min(dates, key=as_utc, default=None),
        last_seen=max(dates, key=as_utc, default=None),
        entities=tuple(names.get(k, k) for k, _ in entity_docs.most_common(8)),
        places=tuple(p for p, _ in places.most_common(5)),
        merged_from=tuple(merged_from),
    )


TITLE_TIE = 1e-4  # centre scores closer than this are a tie


def _central_title(vectors: list[tuple[np.ndarray, str | None]]) -> str | None:
    """The title of the member nearest the story's centre: the most typical headline.

    Near-ties go to the earliest member (`vectors` come in join order): with two members both
    are equally near the centre, and float rounding, which differs between BLAS builds, must
    not pick the headline.
    """
    if not any(t for _, t in vectors):
        return None
    import numpy as np

    centre = np.sum([v for v, _ in vectors], axis=0, dtype=np.float64)
    titled = [(float(v @ centre), t) for v, t in vectors if t]
    best = max(score for score, _ in titled)
    return next(t for score, t in titled if score >= best - TITLE_TIE)


def _profile_row(r: Any) -> ProfileRow:
    return ProfileRow(r[0], r[1], _when(r[2]), r[3], r[4], r[5])


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
