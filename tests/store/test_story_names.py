"""The stories-by-name index (migration 0014) gives the dossier's related stories exactly as
the mentions themselves do, through every write path, and is current the moment a new
article joins a story (no stale "not covered by")."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from corroborate.records import (
    Article,
    DocFormat,
    EntityKind,
    EntityMention,
    Extraction,
    JoinEvidence,
)
from corroborate.store import Store
from corroborate.store.related import related_stories

JOINED = JoinEvidence(reason="similar", score=0.9)
DAY0 = datetime.fromisoformat("2025-03-04T09:00:00+01:00")
# Two entities share the name "Georgia" (the US state and the country): a name stands for both.
ENTITIES = {
    "Georgia (US)": (EntityKind.PLACE, "place:georgia-us", "Georgia"),
    "Georgia": (EntityKind.COUNTRY, "country:GE", "Georgia"),
    "Atlanta": (EntityKind.PLACE, "place:atlanta", "Atlanta"),
    "Tbilisi": (EntityKind.PLACE, "place:tbilisi", "Tbilisi"),
    "Port Authority": (EntityKind.ORGANIZATION, "org:port authority", "Port Authority"),
}


def _add(store: Store, n: int, outlet: str, days: int, mentions: list[str]) -> int:
    """An article mentioning these entities (keys of ENTITIES), extracted."""
    text = f"Report {n}: " + ". ".join(f"{m} said the harbour would reopen" for m in mentions)
    article = Article(source=f"r{n}.txt", format=DocFormat.TEXT, text=text,
                      title=f"Harbour report {n}", outlet=outlet,
                      published=DAY0 + timedelta(days=days), published_via="test",
                      language="en", raw_sha256=f"raw{n}")
    with store.writer() as w:
        article_id = w.add_article(article, article.text_hash, text.encode(), signature=None,
                                   bands=())
        w.save_extraction(article_id, _extraction(text, mentions))
    return article_id


def _extraction(text: str, mentions: list[str]) -> Extraction:
    found = []
    for m in mentions:  # every occurrence: a name mentioned twice is still one name
        kind, key, name = ENTITIES[m]
        start = text.find(m)
        while start >= 0:
            found.append(EntityMention(start, start + len(m), m, kind, key, name))
            start = text.find(m, start + 1)
    return Extraction(entities=tuple(found), version="test")


def _by_scan(store: Store, name: str, exclude: int, limit: int) -> list[int]:
    """The newest stories mentioning `name`, found by walking the mentions (the lookup the
    index replaced)."""
    with store.engine.connect() as conn:
        return list(conn.exec_driver_sql(
            "SELECT s.story_id FROM story_listing s WHERE s.story_id != ? AND s.story_id IN ("
            "SELECT m.story_id FROM entity_mentions em JOIN entities e ON e.key = em.key "
            "JOIN story_members m ON m.article_id = em.article_id WHERE e.name = ?) "
            "ORDER BY s.last_instant DESC, s.story_id DESC LIMIT ?",
            (exclude, name, limit)).scalars())


def _outlets_by_scan(store: Store, story_id: int) -> tuple[str, ...]:
    with store.engine.connect() as conn:
        return tuple(conn.exec_driver_sql(
            "SELECT DISTINCT a.outlet FROM story_members m JOIN articles a "
            "ON a.id = m.article_id WHERE m.story_id = ? ORDER BY a.outlet",
            (story_id,)).scalars())


def _index_rows(store: Store) -> set[tuple[int, str, int, float | None]]:
    with store.engine.connect() as conn:
        return {tuple(r) for r in conn.exec_driver_sql(  # type: ignore[misc]
            "SELECT story_id, name, articles, last_instant FROM story_names")}


def _recounted(store: Store) -> set[tuple[int, str, int, float | None]]:
    with store.engine.connect() as conn:
        return {tuple(r) for r in conn.exec_driver_sql(  # type: ignore[misc]
            "SELECT m.story_id, e.name, COUNT(DISTINCT m.article_id), l.last_instant "
            "FROM story_members m JOIN entity_mentions em ON em.article_id = m.article_id "
            "JOIN entities e ON e.key = em.key JOIN story_listing l ON l.story_id = m.story_id "
            "GROUP BY m.story_id, e.name, l.last_instant")}


def _agrees(store: Store) -> None:
    """The index holds what the mentions say, and every lookup equals the scan's."""
    assert _index_rows(store) == _recounted(store)
    names = ["Georgia", "Atlanta", "Tbilisi", "Port Authority", "Nowhere"]
    stories = [0, *(s.id for s in store.stories.list(limit=100))]
    for exclude in stories:
        for limit in (1, 2, 10):
            for name in names:
                assert list(store.stories.sharing_names([name], exclude, limit)) == \
                    _by_scan(store, name, exclude, limit), (name, exclude, limit)
    found = store.stories.sharing_names(names, 0, 10)
    assert found == {sid: _outlets_by_scan(store, sid) for sid in found}


def test_index_equals_the_mentions_through_joins_moves_merges_reextraction_and_rebuilds(
    store: Store,
) -> None:
    a = [
        _add(store, 0, "EuroWire", 0, ["Georgia (US)", "Atlanta", "Atlanta"]),
        _add(store, 1, "Harbour Watch", 1, ["Georgia (US)", "Port Authority"]),
        _add(store, 2, "Scheldt Courier", 2, ["Georgia", "Tbilisi"]),
        _add(store, 3, "EuroWire", 3, ["Tbilisi", "Port Authority"]),
        _add(store, 4, "Lowlands Daily", 4, ["Atlanta"]),
    ]
    with store.writer() as w:
        w.stories.add_member(a[0], 1, JOINED)
        w.stories.add_member(a[1], 1, JOINED)
        w.stories.add_member(a[2], 2, JOINED)
        w.stories.add_member(a[3], 3, JOINED)
    _agrees(store)
    assert list(store.stories.sharing_names(["Georgia"], 0, 10)) == [2, 1]  # newest first

    with store.writer() as w:  # a second look moves an article; a story empties
        w.stories.move_member(a[3], 2, JOINED)
    _agrees(store)
    with store.writer() as w:
        w.stories.add_member(a[4], 4, JOINED)
        w.stories.merge(1, 4, "similar")
    _agrees(store)
    assert list(store.stories.sharing_names(["Atlanta"], 0, 10)) == [4]

    with store.writer() as w:  # re-extracted: Atlanta is gone from it, Tbilisi new
        w.save_extraction(a[0], _extraction("Tbilisi and Georgia", ["Tbilisi", "Georgia"]))
    _agrees(store)
    with store.writer() as w:  # reclustering: every membership forgotten, then rebuilt
        w.stories.clear_members()
        for n, article in enumerate(a):
            w.stories.add_member(article, 10 + n % 2, JOINED)
    _agrees(store)


def test_related_stories_are_current_after_a_new_article_joins(store: Store) -> None:
    """No stale 'not covered by': a report that joins a story, or opens one, is among the
    related stories (with its outlet) as soon as the clustering write that placed it ends."""
    first = _add(store, 0, "EuroWire", 0, ["Port Authority", "Atlanta"])
    other = _add(store, 1, "Harbour Watch", 1, ["Port Authority"])
    with store.writer() as w:
        w.stories.add_member(first, 1, JOINED)
        w.stories.save_profile(first, "v-test", None, '{"entities": {"org:port authority": 1}, '
                                    '"names": {"org:port authority": "Port Authority"}}')
        w.stories.add_member(other, 2, JOINED)
    story = store.stories.get(1)
    assert story is not None and story.entities == ("Port Authority",)
    before = related_stories(store, story)
    assert [(s.id, s.outlets) for s in before] == [(2, ("Harbour Watch",))]

    joined = _add(store, 2, "Scheldt Courier", 5, ["Atlanta"])  # no Port Authority itself,
    opened = _add(store, 3, "Lowlands Daily", 3, ["Port Authority"])  # but story 2 has it
    with store.writer() as w:
        w.stories.add_member(joined, 2, JOINED)
        w.stories.add_member(opened, 3, JOINED)
    after = related_stories(store, story)
    # story 2 is now the newest (its new article), with its new outlet; story 3 is new
    assert [(s.id, s.outlets) for s in after] == [
        (2, ("Harbour Watch", "Scheldt Courier")), (3, ("Lowlands Daily",))]
    _agrees(store)


@pytest.mark.sqlite_only("reads SQLite's EXPLAIN QUERY PLAN; PostgreSQL's planner picks by "
                         "its statistics, and the index exists there too")
def test_a_name_is_read_from_an_index_range(store: Store) -> None:
    """The look-up walks the name's index entries newest first: no scan, no sort step."""
    with store.engine.connect() as conn:
        plan = " | ".join(str(r[-1]) for r in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT story_id FROM story_names WHERE name = ? "
            "AND story_id != ? ORDER BY last_instant DESC, story_id DESC LIMIT ?",
            ("Georgia", 0, 100)))
    assert "INDEX story_names_newest" in plan and "TEMP B-TREE" not in plan, plan
