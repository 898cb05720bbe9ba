"""'Not covered by' from a real store: three gold stories of US politics (Jesse Jackson Jr.'s
plea, Duncan Hunter's indictment, Mueller's questions for Trump), ingested, clustered and
cross-checked together. Each shares a main entity or place ("United States", "Russia") with
the others, so each has related stories; New York Times, Fox News and HuffPost report all
three, so none is missing from any; USA Today and Breitbart report only one, too few to be
"usual" for the others."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_support import gold_db
from starlette.testclient import TestClient
from web_corpus import LOCAL

from corroborate.report.coverage import usual_outlets
from corroborate.store import Store
from corroborate.web import create_app
from corroborate.web.dossiers import related_stories

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(gold_db("D06", "D07", "D08"), background_checks=False),
                    base_url=LOCAL, client=("127.0.0.1", 50000)) as c:
        yield c


def test_related_stories_share_an_entity_or_place_and_never_include_the_story() -> None:
    with Store(gold_db("D06", "D07", "D08")) as store:
        stories = store.stories.list()
        assert len(stories) == 3
        for story in stories:
            related = related_stories(store, story)
            assert story.id not in {s.id for s in related}
            assert {s.id for s in related} == {s.id for s in stories} - {story.id}
            for s in related:  # as far as coverage needs them: the stories' own outlets
                full = store.stories.get(s.id)
                assert full is not None and set(s.outlets) == set(full.outlets)


def test_dossier_json_and_page_say_what_the_related_stories_show(client: TestClient) -> None:
    with Store(gold_db("D06", "D07", "D08")) as store:
        stories = store.stories.list()
        expected = {s.id: usual_outlets(s, related_stories(store, s)) for s in stories}
    for story in stories:
        dossier = client.get(f"/api/v1/stories/{story.id}/dossier").json()
        assert dossier["related_stories"] == 2
        assert tuple(dossier["not_covered_by"]) == expected[story.id] == ()
        page = client.get(f"/stories/{story.id}", headers={"accept": "text/html"}).text
        assert "Every outlet that usually covers the 2 related stories reports this one." \
            in page


def test_stories_sharing_a_name_match_it_exactly_newest_first_and_capped() -> None:
    with Store(gold_db("D06", "D07", "D08")) as store:
        stories = store.stories.list()
        name = stories[0].entities[0]
        assert store.stories.sharing_names([name[:-1]], 0, 10) == {}  # no part of a name
        found = store.stories.sharing_names([name], 0, 10)
        assert stories[0].id in found and found[stories[0].id]
        assert stories[0].id not in store.stories.sharing_names([name], stories[0].id, 10)
        assert len(store.stories.sharing_names(
            [n for s in stories for n in s.entities[:3]], 0, 1)) <= 9  # one per name at most
