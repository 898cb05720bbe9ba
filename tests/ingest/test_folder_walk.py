"""Folder walks over the shared datasets: what is plainly not an article is skipped by
general rules (name, content), every article text is kept, and `count_inputs` knows
beforehand how many documents a walk yields."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import shared_path

from corroborate.ingest.files import NOT_ARTICLE, is_not_article_skip, not_article, note_name
from corroborate.ingest.sources import count_inputs, iter_sources, walk
from corroborate.records import RawDocument, Skip


@pytest.mark.parametrize("name", ["README.txt", "readme.txt", "SOURCE.txt", "LICENSE",
                                  "LICENSE-Diverse_CDCR_datasets-Apache2.txt",
                                  "LICENSEDATA.TXT", "COPYING-CC.TXT", "CHANGELOG.txt",
                                  "Citation.txt"])
def test_note_names(name: str) -> None:
    assert note_name(Path(name))


@pytest.mark.parametrize("name", ["license-fees-rise.txt", "sources-say-minister-quits.txt",
                                  "Source_of_the_Nile_found.txt", "readme-of-a-murder.txt",
                                  "breitbart_2016-10-04_bill-clinton.txt", "000_a0cd.txt"])
def test_article_slugs_that_start_like_a_note_are_not_notes(name: str) -> None:
    assert not note_name(Path(name))


def test_every_text_file_of_the_shared_data_is_told_apart() -> None:
    """All 925 PolNeAR article texts stay articles; every dataset note (SOURCE, README,
    licences, BASIL's change list of annotations) is not one."""
    data = shared_path("data")
    kept, refused = [], []
    for path in sorted(data.rglob("*")):
        if path.suffix.lower() == ".txt" and path.is_file():
            (refused if not_article(path, path.read_bytes()) else kept).append(path)
    polnear = [p for p in kept if "polnear" in p.parts and "text" in p.parts]
    assert len(polnear) == len(kept) >= 900
    assert {p.name for p in refused} == {
        "SOURCE.txt", "README.txt", "COPYING-CC.TXT", "LICENSEDATA.TXT",
        "annotation_changes.txt", "LICENSE-Diverse_CDCR_datasets-Apache2.txt"}
    changes = shared_path("data", "stories", "basil", "annotation_changes.txt")
    assert "lines of records" in (not_article(changes, changes.read_bytes()) or "")


def test_brat_annotations_and_url_lists_in_a_text_file_are_not_articles(tmp_path: Path) -> None:
    ann = next(shared_path("data", "attribution", "polnear", "data", "dev").rglob("*.ann"))
    as_text = tmp_path / "notes.txt"
    as_text.write_bytes(ann.read_bytes())
    assert "lines of records" in (not_article(as_text, as_text.read_bytes()) or "")
    urls = tmp_path / "links.txt"
    urls.write_text("https://example.org/a\nhttps://example.org/b\n", encoding="utf-8")
    assert "list of URLs" in (not_article(urls, urls.read_bytes()) or "")
    seed = sorted(shared_path("seeds").glob("*.txt"))[0]
    assert not_article(seed, seed.read_bytes()) is None


def test_a_walk_skips_notes_but_a_named_url_list_is_still_read(tmp_path: Path) -> None:
    urls = tmp_path / "links.txt"
    urls.write_text("https://example.org/a\nhttps://example.org/b\n", encoding="utf-8")
    walked = list(iter_sources([str(tmp_path)], None))
    assert len(walked) == 1 and isinstance(walked[0], Skip)
    assert walked[0].reason.startswith(NOT_ARTICLE) and is_not_article_skip(walked[0].reason)
    named = list(iter_sources([str(urls)], None))  # named: a URL list, fetching disabled
    assert [s.source for s in named if isinstance(s, Skip)] == ["https://example.org/a",
                                                               "https://example.org/b"]
    assert count_inputs([str(urls)]) == 2 and count_inputs([str(tmp_path)]) == 1


@pytest.mark.parametrize(("folder", "articles"), [
    (("stories", "basil"), 300), (("stories", "newswcl50"), 0),  # NewsWCL50: no text there
    (("stories", "giveme5w1h-dev"), 151), (("attribution", "polnear", "data", "dev"), 84)])
def test_count_inputs_is_what_the_walk_yields(folder: tuple[str, ...], articles: int) -> None:
    path = shared_path("data", *folder)
    items = list(iter_sources([str(path)], None))
    assert count_inputs([str(path)]) == len(items)
    assert sum(isinstance(i, RawDocument) for i in items) == articles
    assert all(is_not_article_skip(i.reason) for i in items if isinstance(i, Skip))


def test_count_inputs_counts_jsonl_records_and_missing_paths(tmp_path: Path) -> None:
    lines = tmp_path / "export.jsonl"
    lines.write_text('{"text": "one"}\n\n{"text": "two"}\nnot json\n', encoding="utf-8")
    specs = [str(lines), str(tmp_path / "missing"), str(shared_path("seeds"))]
    assert count_inputs(specs) == len(list(iter_sources(specs, None))) == 3 + 1 + 2


def test_exclude_globs_match_names_and_paths_under_the_folder() -> None:
    basil = shared_path("data", "stories", "basil")
    everything = [p for p in walk(basil) if isinstance(p, Path)]
    kept = [p for p in walk(basil, ("annotations", "*.md")) if isinstance(p, Path)]
    assert not any("annotations" in p.parts or p.suffix == ".md" for p in kept)
    assert len(everything) - len(kept) == 301  # 300 annotation files and the README
    by_path = [p for p in walk(basil, ("annotations/2010/*",)) if isinstance(p, Path)]
    assert len(by_path) == len(everything) - sum(
        1 for p in everything if p.parent.name == "2010" and "annotations" in p.parts)
