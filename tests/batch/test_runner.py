"""`corroborate batch` on a local Ray stores what `corroborate ingest` stores from the same
inputs: a CC-NEWS-style WARC written here from the Zyte benchmark's pages (one of them twice,
under two URLs), a JSONL of two of the same pages' reference texts (near-duplicates of the
pages) and an HTML page. Articles
(text hashes, in id order, with their duplicate links), extractions and story memberships
are compared; a second batch run adds nothing.

The batch store is the suite's `db_path`; the reference store is a second file beside it.
"""

from __future__ import annotations

import gzip
import json
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from conftest import shared_path
from typer.testing import CliRunner

from corroborate.cli import app
from corroborate.store import Store
from corroborate.store.codec import extraction_to_json

pytest.importorskip("ray", reason="`corroborate batch` needs the [batch] extra (ray[data])")
pytestmark = pytest.mark.slow

PAGES = 8


def _inputs(out: Path) -> Path:
    """A folder holding news.warc.gz (PAGES responses and a page again under another URL),
    texts.jsonl (two of those pages' reference texts) and one more page as .html."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    root = shared_path("data", "extraction", "scrapinghub")
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = sorted((root / "html").glob("*.html.gz"))[: PAGES + 1]
    bodies = [(truth[p.name.split(".")[0]]["url"], gzip.decompress(p.read_bytes()))
              for p in pages]
    out.mkdir()
    records = [*bodies[:PAGES], (bodies[0][0] + "?copy=1", bodies[0][1])]
    with (out / "news.warc.gz").open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, body in records:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response",
                                                          payload=BytesIO(body),
                                                          http_headers=http))
    with (out / "texts.jsonl").open("w", encoding="utf-8") as fh:
        for page in pages[2:4]:
            item = truth[page.name.split(".")[0]]
            fh.write(json.dumps({"url": item["url"] + "#text", "maintext": item["articleBody"]})
                     + "\n")
    (out / "page.html").write_bytes(bodies[PAGES][1])
    return out


def _run(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout[result.stdout.index("{"):])


def _contents(db: Path) -> dict[str, Any]:
    """What a store holds, by text hash: ids are compared through the order they come in."""
    with Store(db) as store:
        articles = sorted(store.list_articles(limit=None), key=lambda a: a.id)
        hash_of = {a.id: a.text_hash for a in articles}
        stories = store.stories.list(limit=10_000)
        return {
            "articles": [(a.text_hash, a.article.source.rsplit("/", 1)[-1],
                          hash_of.get(a.near_duplicate_of)) for a in articles],
            "extractions": {a.text_hash: extraction_to_json(store.get_extraction(a.id))
                            for a in articles},
            "stories": sorted(sorted(hash_of[m.article_id] for m in s.members)
                              for s in stories),
            "unchecked": store.checks.pending(),
        }


def test_batch_on_local_ray_stores_what_ingest_stores(tmp_path: Path, db_path: Path) -> None:
    inputs = _inputs(tmp_path / "inputs")
    reference = tmp_path / "ingest.db"
    ingested = _run("ingest", str(inputs), "--db", str(reference), "--no-fetch",
                    "--workers", "1")
    batched = _run("batch", str(inputs), "--db", str(db_path), "--workers", "1")

    counts = batched["counts"]
    assert counts == ingested["counts"]
    assert counts["duplicate"] == 1  # the page again under another URL
    assert counts["near_duplicate"] == 2  # the reference texts of two pages
    assert batched["clustering"] == ingested["clustering"]
    expected, got = _contents(reference), _contents(db_path)
    assert len(got["articles"]) == counts["ingested"] + counts["near_duplicate"]
    assert got["articles"] == expected["articles"]
    assert got["extractions"] == expected["extractions"]
    assert got["stories"] == expected["stories"]
    assert any(len(members) > 1 for members in got["stories"])  # the copies joined theirs
    assert got["unchecked"] == 0

    again = _run("batch", str(inputs), "--db", str(db_path), "--workers", "1")
    assert again["counts"] == {**dict.fromkeys(counts, 0), "skipped": counts["skipped"],
                               "unchanged": sum(counts.values()) - counts["skipped"]}
    assert again["clustering"]["clustered"] == 0
    assert _contents(db_path) == got
