"""End to end: a local feed server publishes a developing story in four steps (story_steps.py)
and watchers over one store turn it into the right alerts, in order, each once.

Between steps the watcher is a new object over a newly opened store (a restart); at step 2
a crash is injected after the fetch and before the commit, and nothing is lost or repeated.
A webhook receiver on loopback gets every alert, signed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from feed_server import FeedServer, HookServer, serving
from story_steps import STEPS

from corroborate.store import Store
from corroborate.watch.atom import alerts_atom
from corroborate.watch.config import config_from_dict
from corroborate.watch.watcher import Watcher
from corroborate.watch.watchlists import add_watchlist
from corroborate.watch.webhooks import SIGNATURE_HEADER, verify

SECRET = "hook-secret"
EXPECTED = [
    ["new_story"],
    ["new_outlet"],
    ["new_outlet", "new_source", "corroborated"],
    ["new_outlet", "new_source", "developing"],
]


class Crash(Exception):
    pass


@pytest.mark.slow
def test_watch_four_steps_alerts_in_order_once_across_restarts_and_a_crash(
        db_path: Path) -> None:
    with serving(FeedServer()) as feeds, serving(HookServer(fail_first=1)) as hook:
        config = config_from_dict({
            "watch": {"allow_private": True, "per_host_interval": 0.0,
                      "base_url": "http://corroborate.test", "workers": 1},
            "feed": [{"url": url, "interval": 60} for url in feeds.feed_urls()],
        })
        with Store(db_path) as store:
            watchlist = add_watchlist(store, "Brienz floods", "words", "Brienz floods",
                                      webhook_url=hook.url, webhook_secret=SECRET)
            add_watchlist(store, "Elsewhere", "words", "volcano eruption")
        now = [1_000_000.0]
        kinds_per_step: list[list[str]] = []
        for step in range(1, len(STEPS) + 1):
            feeds.step = step
            if step == 2:  # crash after the fetch, before the commit: nothing is kept
                def boom(*_args: object) -> None:
                    raise Crash("killed before commit")

                with Store(db_path) as store, Watcher(store, config, clock=lambda: now[0],
                                                      before_commit=boom) as w:
                    with pytest.raises(Crash):
                        w.run_once()
                    assert store.count_articles() == 1
                    assert store.watch.seen_count() == 1
                    assert len(store.watch.alerts()) == 1
            with Store(db_path) as store, Watcher(store, config, clock=lambda: now[0]) as w:
                done = w.run_once()
                assert done.failed == 0
                assert done.stored == 1
                kinds_per_step.append([a.kind for a in done.alerts])
                # polled again at once: nothing is due; forced: every feed answers 304
                assert w.run_once().polled == 0
                again = w.run_once(force=True)
                assert again.not_modified == len(STEPS) and again.stored == 0
                assert again.alerts == []
            now[0] += 120
        assert kinds_per_step == EXPECTED

        with Store(db_path) as store:
            alerts = list(reversed(store.watch.alerts(watchlist.id)))
            assert [a.kind for a in alerts] == [k for step in EXPECTED for k in step]
            assert len({a.key for a in alerts}) == len(alerts)
            assert store.count_articles() == len(STEPS)
            stories = {store.stories.get(a.story_id).id for a in alerts}  # type: ignore[union-attr]
            assert len(stories) == 1, "the four articles are one story"
            assert store.watch.alerts() == store.watch.alerts(watchlist.id)  # none elsewhere
            by_kind = {a.kind: a for a in alerts}
            assert "Anna Keller" in by_kind["corroborated"].detail
            assert "Daniel Frei" in [a.title for a in alerts if a.kind == "new_source"][-1]
            assert "9" in by_kind["developing"].title and "12" in by_kind["developing"].title
            assert all(a.evidence for a in alerts)
            atom = alerts_atom(watchlist, store.watch.alerts(watchlist.id),
                               "http://corroborate.test")
            assert atom.count("<entry>") == len(alerts)
            assert f"http://corroborate.test/stories/{alerts[0].story_id}" in atom

            # the receiver refused the first post (503): it came again later, and each alert
            # was received exactly once, signed
            hook_alerts = []
            for headers, body in hook.posts:
                assert verify(SECRET, body, headers[SIGNATURE_HEADER])
                assert not verify("wrong", body, headers[SIGNATURE_HEADER])
                hook_alerts.append(json.loads(body)["id"])
            assert sorted(hook_alerts) == sorted(a.id for a in alerts)
            first = store.watch.deliveries(alerts[0].id)
            assert first[0]["attempts"] == 2 and first[0]["delivered_at"]
        assert feeds.not_modified >= len(STEPS) * len(STEPS)
