"""The short dossier and the fact filters on a real ten-outlet story: the Paris jewellery heist
of the development gold (D01), written by the shared input writer and ingested through the
CLI as a user would, then read with `dossier` (short, --full, --verdict, --top, JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import gold_inputs
from schema_check import load_schema, problems
from typer.testing import CliRunner

from corroborate.cli import app
from corroborate.records import Verdict
from corroborate.report import build_dossier
from corroborate.report.dossier import DISCREPANCIES, Dossier
from corroborate.report.markdown import md
from corroborate.report.select import TOP_AGREED, select_facts, short_view, support_rank
from corroborate.store import Store

runner = CliRunner()


@pytest.fixture(scope="module")
def heist(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """D01 ingested into a store, and the id of its biggest story."""
    out = gold_inputs(tmp_path_factory.mktemp("d01"), "D01")
    db = out / "d01.db"
    result = runner.invoke(app, ["ingest", str(out / "D01"), "--db", str(db), "--no-fetch",
                                 "--workers", "1"])
    assert result.exit_code == 0, result.output
    listed = runner.invoke(app, ["stories", "--db", str(db), "--json"])
    story = json.loads(listed.stdout)[0]
    assert len(story["outlets"]) >= 8
    return db, story["id"]


def _dossier(heist: tuple[Path, int]) -> Dossier:
    db, story_id = heist
    with Store(db) as store:
        story = store.stories.get(story_id)
        assert story is not None
        check = store.checks.of_story(story).check
    assert check is not None
    return build_dossier(story, check)


def _md(heist: tuple[Path, int], *args: str) -> str:
    db, story = heist
    result = runner.invoke(app, ["dossier", str(story), "--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_short_markdown_is_much_shorter_and_keeps_key_figures_and_conflicts(
        heist: tuple[Path, int]) -> None:
    d = _dossier(heist)
    short, full = _md(heist), _md(heist, "--full")
    assert len(short.splitlines()) * 5 < len(full.splitlines())
    assert d.key_figures and d.discrepancies  # the story has both: the check means something
    for fact in (*d.key_figures, *d.discrepancies):
        assert f"| {fact.id} |" in short or f"**{fact.id} · " in short, fact.id
    for heading in ("## Key figures", "## Conflicts and disputes", "## Agreed facts",
                    "## Sources in brief", "## Left out"):
        assert heading in short
    left = short.split("## Left out", 1)[1]
    shown = short_view(d).shown
    assert f"shows {shown} of {len(d.facts)} facts" in left and "--full" in left
    # --full is everything, and reads as before: every fact has its paragraph
    assert all(f"**{f.id} · " in full for f in d.facts)


def test_short_view_picks_the_best_agreed_facts_and_counts_the_rest(
        heist: tuple[Path, int]) -> None:
    d = _dossier(heist)
    view = short_view(d)
    assert len(view.agreed) == TOP_AGREED
    assert all(f.verdict is Verdict.AGREE and f.measure is None for f in view.agreed)
    widest = max(len(f.outlets) for f in d.facts if f.verdict is Verdict.AGREE
                 and not (f.measure and len(f.outlets) > 1) and f.detail_of is None)
    assert len(view.agreed[0].outlets) == widest
    assert view.shown + sum(view.left_out.values()) == len(d.facts)
    assert view.origins == d.origins[:len(view.origins)]


def test_verdict_filter_in_markdown_and_json(heist: tuple[Path, int]) -> None:
    d = _dossier(heist)
    conflicts = [f.id for f in d.facts if f.verdict is Verdict.CONFLICT]
    db, story = heist
    result = runner.invoke(app, ["dossier", str(story), "--db", str(db), "--format", "json",
                                 "--verdict", "conflict"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert [f["id"] for f in record["facts"]] == conflicts
    assert f"{len(conflicts)} of {len(d.facts)} facts (--verdict conflict)" in result.stderr
    assert problems(record, load_schema()) == []
    short = _md(heist, "--verdict", "conflict")
    assert f"Showing {len(conflicts)} of {len(d.facts)} facts" in short
    assert all(f"{c} " in short for c in conflicts)
    agreed = [f for f in d.facts if f.verdict is Verdict.AGREE]
    assert not any(f"| {f.id} |" in short for f in agreed)
    both = runner.invoke(app, ["dossier", str(story), "--db", str(db), "--format", "json",
                               "--verdict", "conflict", "--verdict", "single-outlet"])
    assert {f["verdict"] for f in json.loads(both.stdout)["facts"]} == {"conflict",
                                                                       "single_outlet"}
    bad = runner.invoke(app, ["dossier", str(story), "--db", str(db), "--verdict", "maybe"])
    assert bad.exit_code == 2


def test_top_keeps_the_best_supported_facts(heist: tuple[Path, int]) -> None:
    d = _dossier(heist)
    db, story = heist
    result = runner.invoke(app, ["dossier", str(story), "--db", str(db), "--format", "json",
                                 "--top", "3"])
    assert result.exit_code == 0, result.output
    ids = [f["id"] for f in json.loads(result.stdout)["facts"]]
    assert set(ids) == {f.id for f in support_rank(d.facts)[:3]}
    assert all(f.verdict in DISCREPANCIES for f in support_rank(d.facts)[:3])
    agreed = runner.invoke(app, ["dossier", str(story), "--db", str(db), "--format", "json",
                                 "--verdict", "agree", "--top", "4"])
    facts = json.loads(agreed.stdout)["facts"]
    assert len(facts) == 4 and {f["verdict"] for f in facts} == {"agree"}
    most = max(len(f.outlets) for f in d.facts if f.verdict is Verdict.AGREE)
    assert max(len(f["outlets"]) for f in facts) == most
    complete = runner.invoke(app, ["dossier", str(story), "--db", str(db), "--format", "json"])
    assert len(json.loads(complete.stdout)["facts"]) == len(d.facts)  # no filter: complete


def test_select_facts_keeps_the_summary_of_the_facts_kept(heist: tuple[Path, int]) -> None:
    d = _dossier(heist)
    chosen = select_facts(d, {Verdict.AGREE})
    assert {f.verdict for f in chosen.facts} == {Verdict.AGREE}
    kept = {f.id for f in chosen.facts}
    assert all(s.fact_id in kept for s in chosen.summary)
    assert select_facts(d) == d


def test_markdown_opens_with_coverage_linking_every_report_to_its_original(
        heist: tuple[Path, int]) -> None:
    db, story_id = heist
    with Store(db) as store:
        story = store.stories.get(story_id)
        assert story is not None
        urls = {a.article.url for a in store.get_articles([m.article_id for m in story.members])
                if a.article.url and a.near_duplicate_of is None}
    assert urls
    for text in (_md(heist), _md(heist, "--full")):
        section = text.split("## Coverage", 1)[1].split("\n## ", 1)[0]
        for outlet in {a.outlet for a in _dossier(heist).articles}:  # as the check names them
            assert f"| {md(outlet)} |" in section, outlet
        for url in urls:  # every stored report is linked to its original page
            assert f"]({url})" in section, url
        assert text.index("## Coverage") < text.index("## Key figures")
