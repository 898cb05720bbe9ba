"""Story clustering on real inputs (the seeds, the example corpus) and on reports we wrote.

The earthquake and flood reports below are invented for these tests: two quakes in one
country a year apart share the country, the agency and the vocabulary, and must still be
two stories; a flood in the same week is a third.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from conftest import EXAMPLES

from corroborate.cluster.profile import PROFILE_VERSION, ArticleProfile, build_profiles
from corroborate.cluster.stories import RELINKED, UNDATED_JOIN, ClusterConfig, StoryClusterer
from corroborate.cluster.vector_index import WindowedIndex
from corroborate.errors import UsageError
from corroborate.extract import extract_articles
from corroborate.pipeline import (
    IngestOptions,
    cluster_stored,
    ingest,
    recluster_stored,
    recluster_window,
)
from corroborate.records import Article, DocFormat
from corroborate.store import Store

OFFLINE = IngestOptions(fetch=False, workers=1)

QUAKE_2023_A = (
    "Strong earthquake shakes eastern Turkey", datetime(2023, 3, 10, 6, 0, tzinfo=UTC),
    "A magnitude 6.1 earthquake struck near the city of Malatya in eastern Turkey early on "
    "Friday, damaging dozens of buildings in the old town. Turkey's disaster agency AFAD said "
    "three people were killed and 48 injured as rescue teams searched collapsed houses in the "
    "districts of Battalgazi and Yesilyurt. The governor of Malatya, Hulusi Sahin, said schools "
    "would stay closed for a week while engineers inspect them.",
)
QUAKE_2023_B = (
    "Malatya earthquake kills three", datetime(2023, 3, 10, 9, 30, tzinfo=UTC),
    "Three people died when a 6.1-magnitude quake hit Malatya province on Friday morning, the "
    "AFAD emergency agency said. Governor Hulusi Sahin told reporters that 48 people were "
    "treated in hospital and that damaged buildings in Battalgazi would be demolished. "
    "Aftershocks continued through the day, keeping residents in the streets of the city.",
)
QUAKE_2024_A = (
    "Earthquake hits Tokat in northern Turkey", datetime(2024, 4, 2, 5, 0, tzinfo=UTC),
    "A magnitude 5.6 earthquake shook Tokat province in northern Turkey on Tuesday, the disaster "
    "agency AFAD said, with the epicentre near the town of Sulusaray. Governor Numan Hatipoglu "
    "said 14 people were lightly injured and several barns collapsed in villages around "
    "Sulusaray, where families spent the night in tents.",
)
QUAKE_2024_B = (
    "Tokat quake injures 14", datetime(2024, 4, 2, 8, 15, tzinfo=UTC),
    "Fourteen people were hurt when a 5.6-magnitude tremor struck near Sulusaray in Tokat "
    "province, AFAD said on Tuesday. Tokat governor Numan Hatipoglu said tents and heaters were "
    "sent to the villages, where old stone barns collapsed during the quake.",
)
FLOOD_2024 = (
    "Flash floods sweep Izmir streets", datetime(2024, 4, 3, 14, 0, tzinfo=UTC),
    "Heavy rain flooded streets in the western Turkish city of Izmir on Wednesday, sweeping away "
    "parked cars in the Bayrakli district. The mayor of Izmir, Cemil Tugay, said municipal "
    "teams pumped water from 200 basements and that the coastal road would reopen once the "
    "drains were cleared.",
)


def _article(title: str, published: datetime, text: str, outlet: str = "Test Wire",
             language: str | None = "en") -> Article:
    return Article(source=f"test:{title}", format=DocFormat.TEXT, text=text, title=title,
                   outlet=outlet, published=published, language=language)


def _profiles(articles: list[Article]) -> list[ArticleProfile]:
    """The product's path: extract stage, then profiles (with real embeddings)."""
    extractions = extract_articles(articles)
    return build_profiles([(i, a, e) for i, (a, e) in
                           enumerate(zip(articles, extractions, strict=True))])


def _cluster(articles: list[Article]) -> list[int]:
    clusterer = StoryClusterer()
    for p in _profiles(articles):
        clusterer.add(p)
    return [clusterer.resolve(clusterer.story_of[i]) for i in range(len(articles))]


def test_two_quakes_a_year_apart_in_one_country_are_two_stories() -> None:
    docs = [_article(*QUAKE_2023_A), _article(*QUAKE_2023_B, outlet="Other Daily"),
            _article(*QUAKE_2024_A), _article(*QUAKE_2024_B, outlet="Other Daily")]
    labels = _cluster(docs)
    assert labels[0] == labels[1]
    assert labels[2] == labels[3]
    assert labels[0] != labels[2]


def test_same_country_same_week_different_event_stays_apart_even_undated() -> None:
    # Without dates only content can tell them apart: the quake reports share AFAD,
    # Tokat and Sulusaray; the flood shares only "Turkey".
    undated = [_article(t, None, x) for t, _, x in (QUAKE_2024_A, QUAKE_2024_B, FLOOD_2024)]  # type: ignore[arg-type]
    clusterer = StoryClusterer()
    first, second, flood = (clusterer.add(p) for p in _profiles(undated))
    assert second.story_id == first.story_id
    assert second.evidence.reason == UNDATED_JOIN  # says it could not check time proximity
    assert flood.story_id != first.story_id


def test_article_in_another_language_stays_alone_with_reason() -> None:
    french = _article("Séisme en Turquie", datetime(2024, 4, 2, 6, 0, tzinfo=UTC),
                      "Un séisme de magnitude 5,6 a frappé la province de Tokat mardi, selon "
                      "l'agence AFAD. Quatorze personnes ont été légèrement blessées près de "
                      "Sulusaray, où des granges se sont effondrées.", language="fr")
    clusterer = StoryClusterer()
    first, second = (clusterer.add(p) for p in _profiles([_article(*QUAKE_2024_A), french]))
    assert second.story_id != first.story_id
    assert "language 'fr'" in second.evidence.reason


def test_stub_without_text_stays_alone_with_reason() -> None:
    docs = [_article(*QUAKE_2024_A), _article("Tokat quake", QUAKE_2024_B[1], "Tokat quake.")]
    clusterer = StoryClusterer()
    first, second = (clusterer.add(p) for p in _profiles(docs))
    assert second.story_id != first.story_id
    assert second.evidence.reason.startswith("too little text")


def test_seeds_are_one_story(store: Store, seed_files: list[Path]) -> None:
    ingest([str(p) for p in seed_files], store, OFFLINE)
    run = cluster_stored(store)
    assert run.clustered == 2
    stories = store.stories.list()
    assert len(stories) == 1
    story = stories[0]
    assert story.size == 2
    joined = [m.joined for m in story.members]
    assert joined[0].reason == "opened" and joined[1].reason == "similar"
    assert {"North Korea", "Russia", "Donetsk"} <= set(joined[1].shared_entities)


@pytest.fixture
def corpus_store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "corpus.db")
    ingest([str(EXAMPLES)], store, OFFLINE)
    cluster_stored(store)
    return store


def test_example_corpus_main_story_and_unrelated_story(corpus_store: Store) -> None:
    stories = corpus_store.stories.list()
    main, other = stories[0], stories[-1]
    assert len(stories) == 2
    assert main.size == 6 and len(main.outlets) == 5
    assert "Antwerp" in main.places
    assert other.size == 1 and "tram" in other.title.lower()
    # The syndicated copy joined through its near-duplicate link, not by similarity.
    copies = [m for m in main.members if m.joined.reason == "near-duplicate"]
    assert len(copies) == 1 and copies[0].outlet == "The Morning Ledger"


def test_clustering_again_adds_nothing_and_is_deterministic(corpus_store: Store,
                                                            tmp_path: Path) -> None:
    assert cluster_stored(corpus_store).clustered == 0
    again = Store(tmp_path / "again.db")
    ingest([str(EXAMPLES)], again, OFFLINE)
    cluster_stored(again)
    assert _partition(again) == _partition(corpus_store)


def test_recluster_is_deterministic_and_old_ids_forward(corpus_store: Store) -> None:
    before = _partition(corpus_store)
    old_ids = [s.id for s in corpus_store.stories.list()]
    recluster_stored(corpus_store)
    first = _partition(corpus_store)
    recluster_stored(corpus_store)
    assert _partition(corpus_store) == first == before
    for old in old_ids:
        live = corpus_store.stories.get(old)
        assert live is not None and live.id != old
        assert live.id == corpus_store.stories.resolve(old)
        assert live.merged_from == ()  # forwarded by the rebuild, not merged


def test_story_of_unknown_id_is_none(store: Store) -> None:
    assert store.stories.get(12345) is None


def _partition(store: Store) -> set[frozenset[str]]:
    """Stories as sets of article sources (ids may differ between stores)."""
    out = set()
    for story in store.stories.list(limit=1000):
        sources = {s.article.source for s in store.get_articles(
            [m.article_id for m in story.members])}
        out.add(frozenset(sources))
    return out


def test_windowed_index_searches_only_near_dates_and_everything_when_undated() -> None:
    index = WindowedIndex(4, bucket_days=7, window_days=21)
    v = np.array([1.0, 0.0, 0.0, 0.0], dtype=np.float32)
    index.add(1, v, datetime(2024, 1, 1, tzinfo=UTC))
    index.add(2, v, datetime(2024, 6, 1, tzinfo=UTC))
    index.add(3, v, None)
    near = {i for i, _ in index.search(v, datetime(2024, 1, 10, tzinfo=UTC), k=10)}
    assert near == {1, 3}
    assert {i for i, _ in index.search(v, None, k=10)} == {1, 2, 3}
    assert np.allclose(index.vector(2), v)


def test_cluster_profiles_are_saved_as_json(corpus_store: Store) -> None:
    row = next(iter(corpus_store.stories.profiles(PROFILE_VERSION).values()))
    features = json.loads(row.features)
    assert {"entities", "terms", "numbers", "dates"} <= features.keys()


def test_bridging_article_merges_two_stories_and_the_old_id_resolves() -> None:
    from corroborate.cluster.stories import ClusterConfig

    def unit(*xs: float) -> np.ndarray:
        v = np.zeros(384, dtype=np.float32)
        v[: len(xs)] = xs
        return v / np.linalg.norm(v)

    when = datetime(2024, 4, 2, tzinfo=UTC)
    people = {"person:numan hatipoglu": 2, "place:tokat:TR": 3}
    clusterer = StoryClusterer(ClusterConfig(  # text similarity alone decides here
        w_member=0.5, w_centroid=0.5, w_entities=0, w_terms=0, w_specifics=0, w_time=0,
        w_recent=0,
        threshold=0.9, merge_threshold=0.85))
    a = clusterer.add(ArticleProfile(1, when, "a", None, unit(1, 0.3), dict(people)))
    b = clusterer.add(ArticleProfile(2, when, "b", None, unit(1, -0.3), dict(people)))
    assert a.story_id != b.story_id  # just under the join threshold: two stories
    bridge = clusterer.add(ArticleProfile(3, when, "c", None, unit(1, 0), dict(people)))
    assert bridge.merged == ((b.story_id, a.story_id),) or bridge.merged == (
        (a.story_id, b.story_id),)
    live = bridge.story_id
    assert clusterer.resolve(a.story_id) == clusterer.resolve(b.story_id) == live
    assert sorted(clusterer.stories[live].members) == [1, 2, 3]


def test_same_day_bonus_is_shared_among_the_stories_active_that_day() -> None:
    """In a quiet stream a report of the same day gets the whole recency bonus; when nine
    unrelated stories are also running that day, "same day" says little and the bonus is a
    tenth: a borderline report that joined in the quiet stream opens its own story."""
    from corroborate.cluster.stories import ClusterConfig

    def unit(i: int, j: int = 0, w: float = 0.0) -> np.ndarray:
        v = np.zeros(384, dtype=np.float32)
        v[i] = 1.0
        v[j] += w
        return v / np.linalg.norm(v)

    config = ClusterConfig(w_member=0.5, w_centroid=0.0, w_entities=0, w_terms=0,
                           w_specifics=0, w_time=0, w_recent=0.3, threshold=0.55,
                           merge_threshold=None)
    when = datetime(2018, 4, 20, 9, tzinfo=UTC)

    def place_borderline(busy: int) -> tuple[int, int, float]:
        clusterer = StoryClusterer(config)
        first = clusterer.add(ArticleProfile(1, when, "a", None, unit(0)))
        for k in range(busy):  # unrelated stories published the same day
            clusterer.add(ArticleProfile(10 + k, when, "x", None, unit(10 + k)))
        # cosine 0.6 with the first report: 0.5 x 0.6 = 0.30 of text, plus the bonus
        late = clusterer.add(ArticleProfile(2, when, "b", None, unit(0, 1, 4 / 3)))
        assert late.evidence.score is not None
        return first.story_id, late.story_id, late.evidence.score

    quiet_first, quiet_late, quiet_score = place_borderline(0)
    busy_first, busy_late, busy_score = place_borderline(9)
    assert quiet_late == quiet_first and quiet_score == pytest.approx(0.30 + 0.30, abs=1e-3)
    assert busy_late != busy_first and busy_score == pytest.approx(0.30 + 0.03, abs=1e-3)


@pytest.mark.sqlite_only("the race it stages cannot happen on PostgreSQL: the second run "
                        "waits for the advisory-lock leader (tests/store/test_postgres.py)")
def test_two_clustering_runs_at_once_never_interleave(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A second run (the CLI while a web job clusters) commits between the first run's read
    of the stories and its write: the first must notice, re-read, and place each article once.
    """
    import corroborate.pipeline as pipeline

    db = tmp_path / "race.db"
    store = Store(db)
    ingest([str(EXAMPLES)], store, IngestOptions(fetch=False, workers=1, extract=True))
    real = pipeline._profiles_of
    raced: list[int] = []

    def racing(s: Store, stored: list) -> list:  # type: ignore[type-arg]
        out = real(s, stored)
        if not raced:
            raced.append(-1)  # the other run's own profiling must not race again
            with Store(db) as other:
                raced[0] = cluster_stored(other).clustered
        return out

    monkeypatch.setattr(pipeline, "_profiles_of", racing)
    first = cluster_stored(store, batch_size=2)
    monkeypatch.setattr(pipeline, "_profiles_of", real)
    assert raced == [7] and first.clustered == 0  # the other run placed all seven
    members = [m.article_id for s in store.stories.list() for m in s.members]
    assert sorted(members) == list(range(1, 8))  # each article once
    again = Store(tmp_path / "single.db")
    ingest([str(EXAMPLES)], again, OFFLINE)
    cluster_stored(again)
    assert _partition(store) == _partition(again)
    recluster_stored(store)
    assert _partition(store) == _partition(again)


def test_extracting_again_rebuilds_the_stories_from_the_new_extraction(
        corpus_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """`extract --redo` replaces entities, numbers and dates: profiles built from the old
    extraction are outdated, and the next clustering run rebuilds every story from new ones."""
    from corroborate import pipeline
    from corroborate.pipeline import extract_stored

    before = _partition(corpus_store)
    saved = corpus_store.stories.profiles(PROFILE_VERSION)
    article_id = next(aid for aid, row in saved.items() if row.vector is not None)
    extract_stored(corpus_store, redo=True, workers=1)
    extract_stored(corpus_store, redo=True, workers=1)  # twice: still one mark
    assert corpus_store.stories.stale_profiles(PROFILE_VERSION) > 0
    assert article_id not in corpus_store.stories.profiles(PROFILE_VERSION)
    embedded: list[int] = []  # title and lead are unchanged: saved vectors are reused
    real = pipeline.build_profiles

    def watching(items, embed=None, **kw):  # type: ignore[no-untyped-def]
        if embed is None:  # the real model would run on these
            embedded.extend(i for i, _, _ in items)
        return real(items, embed=embed, **kw)

    monkeypatch.setattr(pipeline, "build_profiles", watching)
    run = cluster_stored(corpus_store)
    assert run.clustered > 0  # reclustered, not "nothing new"
    assert embedded == []
    assert corpus_store.stories.stale_profiles(PROFILE_VERSION) == 0
    again = corpus_store.stories.profiles(PROFILE_VERSION)
    assert again[article_id].vector == saved[article_id].vector
    assert _partition(corpus_store) == before  # same extractor: the same stories



def _text_clusterer(member: float, centroid: float) -> StoryClusterer:
    """Text similarity alone decides, so the hand-made vectors below set every score."""
    from corroborate.cluster.stories import ClusterConfig

    return StoryClusterer(ClusterConfig(
        w_member=member, w_centroid=centroid, w_entities=0, w_terms=0, w_specifics=0,
        w_time=0, w_recent=0, threshold=0.6, merge_threshold=None))


def _vec(*xs: float) -> np.ndarray:
    v = np.zeros(384, dtype=np.float32)
    v[: len(xs)] = xs
    return v / np.linalg.norm(v)


WHEN = datetime(2024, 4, 2, tzinfo=UTC)


def test_a_tight_story_is_not_joined_by_a_report_far_looser_than_its_members() -> None:
    """Cosine 0.65 with a member clears the 0.6 bar, but the tight story's members are 0.99
    alike: 0.35 below that (0.2 beyond the margin) costs 0.1 and the report opens its own
    story. The same report joins a loose story whose members are only ~0.5 alike."""
    from dataclasses import replace

    report = ArticleProfile(9, WHEN, "r", None, _vec(0.65, 0, 0, 0.76))
    tight = [_vec(1, 0.02), _vec(1, -0.02), _vec(1, 0)]
    loose = [_vec(1, 0, 0), _vec(0.6, 0.8, 0), _vec(0.6, 0, 0.8)]
    for members, joins in ((tight, False), (loose, True)):
        clusterer = _text_clusterer(member=1, centroid=0)
        first = [clusterer.add(ArticleProfile(i, WHEN, "m", None, v)).story_id
                 for i, v in enumerate(members)]
        assert len(set(first)) == 1
        placed = clusterer.add(report)
        assert (placed.story_id == first[0]) is joins
        assert placed.evidence.score == pytest.approx(0.55 if not joins else 0.65, abs=0.01)
        # the evidence says why: how much looser than the members the report was
        if joins:
            assert placed.evidence.cohesion_gap is None
        else:
            assert placed.evidence.cohesion_gap == pytest.approx(0.20, abs=0.01)
    without = _text_clusterer(member=1, centroid=0)
    without.config = replace(without.config, w_cohesion=0.0)
    first = [without.add(ArticleProfile(i, WHEN, "m", None, v)).story_id
             for i, v in enumerate(tight)]
    assert without.add(report).story_id == first[0]


def test_copies_of_one_report_do_not_make_a_tight_story() -> None:
    """A wire report and two near-duplicate copies are one report, not three members 1.0
    alike: a follow-up that would join the report alone joins it with its copies too, in
    a live run and in one restored from the store."""
    follow_up = ArticleProfile(9, WHEN, "follow-up", None, _vec(0.65, 0, 0, 0.76))
    live = _text_clusterer(member=1, centroid=0)
    first = live.add(ArticleProfile(0, WHEN, "wire", None, _vec(1, 0))).story_id
    for k in (1, 2):
        live.add(ArticleProfile(k, WHEN, "copy", None, _vec(1, 0)), near_duplicate_of=0)
    restored = _text_clusterer(member=1, centroid=0)
    restored.restore(ArticleProfile(0, WHEN, "wire", None, _vec(1, 0)), first)
    for k in (1, 2):
        restored.restore(ArticleProfile(k, WHEN, "copy", None, _vec(1, 0)), first,
                         near_duplicate_of=0)
    for clusterer in (live, restored):
        placed = clusterer.add(follow_up)
        assert placed.story_id == first and placed.evidence.cohesion_gap is None


def test_second_look_moves_an_article_to_the_story_that_now_fits_it_better() -> None:
    """By centroid: 2 joins 1's story (the only one then); 3 and 4 then form a story whose
    centre fits 2 better (0.77 vs 0.71), so after the batch 2 moves there; 1 stays."""
    from corroborate.cluster.stories import MOVED

    clusterer = _text_clusterer(member=0, centroid=1)
    batch = [ArticleProfile(1, WHEN, "a", None, _vec(1, 0)),
             ArticleProfile(2, WHEN, "b", None, _vec(1, 1)),
             ArticleProfile(3, WHEN, "c", None, _vec(0, 1)),
             ArticleProfile(4, WHEN, "d", None, _vec(0.2, 1))]
    placed = [clusterer.add(p).story_id for p in batch]
    assert placed[1] == placed[0] and placed[3] == placed[2] != placed[0]
    (move,) = clusterer.second_look(batch)
    assert (move.article_id, move.from_story, move.to_story, move.emptied) == (
        2, placed[0], placed[2], False)
    assert move.evidence.reason == f"{MOVED} (from story {placed[0]})"
    assert move.evidence.score is not None and move.evidence.score > 0.75
    assert sorted(clusterer.stories[placed[2]].members) == [2, 3, 4]
    assert clusterer.stories[placed[0]].members == [1]
    assert clusterer.second_look(batch) == []  # settled: a second look again moves nothing


def test_second_look_moves_a_lone_article_and_its_empty_story_forwards() -> None:
    """1 opened a story; 3 arrived later, closer to 2's story than to 1 but close enough to
    1 (0.65) that 1 belongs with them: 1 moves and its old story id resolves to theirs."""
    clusterer = _text_clusterer(member=1, centroid=0)
    batch = [ArticleProfile(1, WHEN, "a", None, _vec(1, 0)),
             ArticleProfile(2, WHEN, "b", None, _vec(0, 1)),
             ArticleProfile(3, WHEN, "c", None, _vec(0.65, 0.76))]
    placed = [clusterer.add(p).story_id for p in batch]
    assert placed[0] != placed[1] == placed[2]
    (move,) = clusterer.second_look(batch)
    assert (move.article_id, move.to_story, move.emptied) == (1, placed[1], True)
    assert clusterer.resolve(placed[0]) == placed[1]
    assert sorted(clusterer.stories[placed[1]].members) == [1, 2, 3]
    assert placed[0] in clusterer.stories[placed[1]].merged_from


def test_second_look_leaves_near_duplicates_with_their_original() -> None:
    clusterer = _text_clusterer(member=1, centroid=0)
    batch = [ArticleProfile(1, WHEN, "a", None, _vec(1, 0)),
             ArticleProfile(2, WHEN, "b", None, _vec(0, 1)),
             ArticleProfile(3, WHEN, "c", None, _vec(0.65, 0.76))]
    clusterer.add(batch[0])
    clusterer.add(batch[1])
    clusterer.add(batch[2])
    copy = ArticleProfile(4, WHEN, "a again", None, _vec(1, 0))
    clusterer.add(copy, near_duplicate_of=1)
    assert clusterer.second_look([*batch, copy]) == []  # 1 has a copy: both stay put


def test_second_look_moves_are_saved_and_an_emptied_story_forwards(corpus_store: Store) -> None:
    """What `cluster_stored` writes for a move: the membership follows the article with the
    new evidence, and a story left empty forwards to where its article went."""
    from corroborate.cluster.stories import MOVED, Move
    from corroborate.pipeline import _save_moves
    from corroborate.records import JoinEvidence

    stories = corpus_store.stories.list()
    assert len(stories) == 2  # the port fire, and the unrelated Ghent tram story
    big, small = stories
    assert len(small.members) == 1
    article = small.members[0].article_id
    evidence = JoinEvidence(reason=f"{MOVED} (from story {small.id})", score=0.7)
    counts = {"opened": 1, "joined": 0, "moved": 0}
    with corpus_store.writer() as w:
        _save_moves(w, [Move(article, small.id, big.id, evidence, emptied=True)], counts)
    assert counts == {"opened": 0, "joined": 1, "moved": 1}  # it joins a story after all
    moved = corpus_store.stories.get(small.id)  # the old id resolves to the new story
    assert moved is not None and moved.id == big.id
    member = next(m for m in moved.members if m.article_id == article)
    assert member.joined.reason.startswith(MOVED) and member.joined.score == 0.7


def test_after_a_move_a_restored_clusterer_counts_the_same_active_stories() -> None:
    """A move takes its day with it: the story it left is no longer active that day, as in
    a clusterer rebuilt from the saved memberships (what the next clustering run does)."""
    from datetime import timedelta

    from corroborate.clock import epoch_days

    clusterer = _text_clusterer(member=0, centroid=1)
    batch = [ArticleProfile(1, WHEN - timedelta(days=10), "a", None, _vec(1, 0)),
             ArticleProfile(2, WHEN, "b", None, _vec(1, 1)),
             ArticleProfile(3, WHEN, "c", None, _vec(0, 1)),
             ArticleProfile(4, WHEN, "d", None, _vec(0.2, 1))]
    for p in batch:
        clusterer.add(p)
    assert [m.article_id for m in clusterer.second_look(batch)] == [2]
    restored = _text_clusterer(member=0, centroid=1)
    for gone, into in clusterer.merged_into.items():
        restored.restore_merge(gone, into)
    for p in batch:
        restored.restore(p, clusterer.story_of[p.article_id])
    day = epoch_days(WHEN)
    assert clusterer._stories_active_near(day) == restored._stories_active_near(day) == 1


TRIAL = [
    ("Nordvik Shipping chief charged with bribery", datetime(2024, 3, 4, 9, 0, tzinfo=UTC),
     "Prosecutors in Gothenburg charged Marta Lindqvist, the chief executive of Nordvik "
     "Shipping, with paying bribes to port officials in Klaipeda to win container contracts, "
     "the prosecutor Jonas Berg said on Monday. Lindqvist denies the charges. The Gothenburg "
     "District Court set the trial for the spring; Nordvik's shares fell 8 percent."),
    ("Lindqvist bribery trial opens in Gothenburg", datetime(2024, 4, 22, 9, 0, tzinfo=UTC),
     "The bribery trial of Nordvik Shipping's former chief executive Marta Lindqvist opened at "
     "the Gothenburg District Court on Monday. Prosecutor Jonas Berg told the court that "
     "Lindqvist approved payments to Klaipeda port officials through a consultancy in Riga. "
     "Her lawyer said the payments were legitimate fees."),
    ("Ex-Nordvik boss Lindqvist convicted of bribery", datetime(2024, 6, 10, 9, 0, tzinfo=UTC),
     "The Gothenburg District Court on Monday convicted Marta Lindqvist, former head of "
     "Nordvik Shipping, of bribing officials at the port of Klaipeda and sentenced her to two "
     "years in prison. Prosecutor Jonas Berg said he was satisfied; Lindqvist's lawyer said "
     "she would appeal the verdict."),
]


def test_a_trials_reports_over_three_months_stay_one_story() -> None:
    # charge, opening, verdict: weeks beyond the window apart, but the same specific names
    labels = _cluster([_article(*TRIAL[0]), _article(*TRIAL[1], outlet="Other Daily"),
                       _article(*TRIAL[2], outlet="Third Post")])
    assert labels[0] == labels[1] == labels[2]


def test_two_quakes_in_one_place_a_year_apart_stay_apart() -> None:
    later = ("Quake rattles Malatya again", datetime(2024, 3, 12, 6, 0, tzinfo=UTC),
             "A magnitude 5.2 earthquake struck Malatya province in eastern Turkey on Tuesday "
             "evening, with its epicentre in the rural Puturge district, the disaster agency "
             "AFAD said. Twelve people were slightly injured while running out of their homes "
             "and a mosque minaret cracked in the village of Koseler; no one was killed. "
             "Governor Seddar Yavuz said teams were checking barns and water tanks.")
    labels = _cluster([_article(*QUAKE_2023_A), _article(*QUAKE_2023_B, outlet="Other Daily"),
                       _article(*later, outlet="Third Post")])
    assert labels[0] == labels[1]
    assert labels[2] != labels[0]


def test_reports_of_one_event_on_one_day_that_share_no_name_join() -> None:
    day = datetime(2024, 5, 6, 8, 0, tzinfo=UTC)
    docs = [
        _article("Petrol prices fall for third week", day,
                 "Petrol prices fell for the third week in a row, with the average price of "
                 "unleaded dropping by four cents a litre at the pump as crude oil costs eased, "
                 "the motoring association said on Monday. Diesel fell by three cents."),
        _article("Drivers get relief at the pump as fuel costs drop", day.replace(hour=11),
                 "Motorists are paying less to fill up: the average litre of unleaded petrol is "
                 "four cents cheaper than a week ago and diesel three cents, as falling crude "
                 "oil prices reach the forecourts for a third straight week.",
                 outlet="Other Daily"),
    ]
    labels = _cluster(docs)
    assert labels[0] == labels[1]


# -- re-clustering the recent window (StoryClusterer.relink_window, pipeline.recluster_window)

FIVE_REPORTS = [_article(*QUAKE_2023_A), _article(*QUAKE_2023_B, outlet="Other Daily"),
                _article(*QUAKE_2024_A), _article(*QUAKE_2024_B, outlet="Other Daily"),
                _article(*FLOOD_2024, outlet="Third Post")]
EXPECTED = [0, 0, 1, 1, 2]  # the Malatya quake, the Tokat quake a year later, the flood


def _same_partition(labels: list[int], expected: list[int]) -> bool:
    return len(set(zip(labels, expected, strict=True))) == len(set(labels)) == len(
        set(expected))


def test_window_reclustering_mends_a_stream_split_too_cautiously() -> None:
    profiles = _profiles(FIVE_REPORTS)
    clusterer = StoryClusterer(replace(ClusterConfig(), threshold=5.0))  # nothing joins
    for p in profiles:
        clusterer.add(p)
    assert len(clusterer.stories) == 5
    moves = clusterer.relink_window(days=400)
    labels = [clusterer.resolve(clusterer.story_of[i]) for i in range(5)]
    assert _same_partition(labels, EXPECTED)
    assert clusterer.last_window == 5
    # each pair keeps the id of its first story; the second forwards to it
    assert labels[:4] == [1, 1, 3, 3]
    assert {(m.article_id, m.from_story, m.to_story, m.emptied) for m in moves} == {
        (1, 2, 1, True), (3, 4, 3, True)}
    assert all(m.evidence.reason.startswith(RELINKED) for m in moves)
    assert clusterer.relink_window(days=400) == []  # settled: a second pass moves nothing


def test_window_reclustering_leaves_what_is_older_than_the_window() -> None:
    profiles = _profiles(FIVE_REPORTS)
    clusterer = StoryClusterer(replace(ClusterConfig(), threshold=5.0))
    for p in profiles:
        clusterer.add(p)
    clusterer.relink_window(days=10)  # the 2024 reports only
    labels = [clusterer.resolve(clusterer.story_of[i]) for i in range(5)]
    assert labels[0] != labels[1]  # the 2023 quake's reports are out of reach
    assert labels[2] == labels[3] != labels[4]


def test_window_reclustering_from_single_articles_splits_an_eager_story() -> None:
    profiles = _profiles(FIVE_REPORTS)
    eager = replace(ClusterConfig(), threshold=-50.0, merge_threshold=None,
                    relink_split=True)
    clusterer = StoryClusterer(eager)
    for p in profiles:
        clusterer.add(p)
    assert len(clusterer.stories) == 1
    clusterer.relink_window(days=400)
    labels = [clusterer.resolve(clusterer.story_of[i]) for i in range(5)]
    assert _same_partition(labels, EXPECTED)
    assert labels[0] == 1  # the biggest group, of the story's first articles, keeps its id


def test_window_reclustering_of_a_right_clustering_changes_nothing(corpus_store: Store) -> None:
    before = _partition(corpus_store)
    ids = {s.id for s in corpus_store.stories.list()}
    run = recluster_window(corpus_store, 3650)
    # seven articles, less the syndicated copy and its original (they stay together, put)
    assert run.moved == 0 and run.looked_at == 5 and run.stories == 2
    assert _partition(corpus_store) == before
    assert {s.id for s in corpus_store.stories.list()} == ids


def test_window_reclustering_in_the_store_merges_and_old_ids_forward(tmp_path: Path) -> None:
    store = Store(tmp_path / "cautious.db")
    ingest([str(EXAMPLES)], store, OFFLINE)
    cluster_stored(store, config=replace(ClusterConfig(), threshold=5.0))
    old = [s.id for s in store.stories.list()]
    assert len(old) > 2
    with pytest.raises(UsageError, match="positive number of days"):
        recluster_window(store, 0)
    run = recluster_window(store, 3650)
    assert run.moved > 0 and run.stories < len(old)
    stories = store.stories.list()
    assert stories[0].size >= 4 and "Antwerp" in stories[0].places
    assert any("tram" in s.title.lower() and s.size == 1 for s in stories)
    for story_id in old:  # every id shown still resolves to the story holding its articles
        live = store.stories.get(story_id)
        assert live is not None
    moved = [m for m in stories[0].members if m.joined.reason.startswith(RELINKED)]
    assert moved and all(m.joined.score is not None for m in moved)
    assert recluster_window(store, 3650).moved == 0
