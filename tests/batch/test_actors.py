"""The Ray side's reader yields exactly what `corroborate ingest` reads from the same inputs,
as Arrow blocks; no Ray is started (Ray calls these functions with tables)."""

from __future__ import annotations

import gzip
import json
from io import BytesIO
from pathlib import Path

import pyarrow as pa
import pytest
from conftest import shared_path

from corroborate.batch import actors
from corroborate.batch.rows import raw_item
from corroborate.ingest.sources import input_refs, iter_sources
from corroborate.records import RawDocument, Skip
from corroborate.store import Store


def _folder(out: Path) -> Path:
    """A WARC of five benchmark pages, its last record cut short, a JSONL with a bad line, an
    HTML page, and a file that is no article."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    root = shared_path("data", "extraction", "scrapinghub")
    pages = sorted((root / "html").glob("*.html.gz"))[:6]
    out.mkdir()
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for i, page in enumerate(pages[:5]):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://example.org/{i}", "response",
            payload=BytesIO(gzip.decompress(page.read_bytes())), http_headers=http))
    (out / "a.warc.gz").write_bytes(buffer.getvalue()[:-200])
    (out / "b.jsonl").write_text(json.dumps({"url": "https://example.org/j", "title": "T",
                                             "maintext": "Some words of a report."})
                                 + "\n{not json\n", encoding="utf-8")
    (out / "c.html").write_bytes(gzip.decompress(pages[5].read_bytes()))
    (out / "d.pdf").write_bytes(b"%PDF-1.4")
    return out


def test_the_reader_yields_what_ingest_reads_in_the_same_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _folder(tmp_path / "in")
    refs = [ref for ref in input_refs([str(folder)]) if not isinstance(ref, Skip)]
    table = pa.Table.from_pylist([{"path": r.path, "named": r.named} for r in refs])
    monkeypatch.setattr(actors, "READ_CHUNK_DOCS", 2)  # blocks as a large archive makes them
    blocks = list(actors.read_inputs(table))
    got = [raw_item(row) for block in blocks for row in block.to_pylist()]
    expected = list(iter_sources([str(folder)], None))
    assert got == expected
    assert [g.sha256 for g in got if isinstance(g, RawDocument)] == \
        [e.sha256 for e in expected if isinstance(e, RawDocument)]
    assert len(blocks) > len(refs)
    warc = [g for g in got if g.source.startswith(str(folder / "a.warc.gz"))]
    assert [type(g) for g in warc] == [RawDocument] * 4 + [Skip]  # the records before the cut
    assert any(isinstance(g, Skip) and "truncated" in g.reason for g in got)
    assert any(isinstance(g, Skip) and "invalid JSON" in g.reason for g in got)


def test_an_actor_leaves_stored_inputs_alone_and_prepares_the_rest_as_ingest_does(
        tmp_path: Path, seed_files: list[Path]) -> None:
    import numpy as np

    from corroborate.batch.actors import PrepareArticles
    from corroborate.batch.rows import prepared_rows, raw_table
    from corroborate.models import EMBEDDING_DIM
    from corroborate.pipeline import IngestOptions, ingest, prepare

    db = tmp_path / "store.db"
    with Store(db) as store:
        ingest([str(seed_files[0])], store, IngestOptions(fetch=False, workers=1))
        (stored,) = store.list_articles()
    raws = list(iter_sources([str(f) for f in seed_files], None))
    first, second = prepared_rows(PrepareArticles(str(db))(raw_table(raws)))
    assert (first.known_id, first.prepared, first.vector) == (stored.id, None, None)
    assert second.known_id is None
    assert second.prepared == prepare(raws[1])  # clean, fingerprint, extract: as ingest does
    assert second.prepared[2].claims
    assert np.frombuffer(second.vector, dtype=np.float32).shape == (EMBEDDING_DIM,)

    missing = tmp_path / "elsewhere.db"  # a SQLite file on another node: not created here
    (again, _) = prepared_rows(PrepareArticles(str(missing))(raw_table(raws)))
    assert again.known_id is None and again.prepared == prepare(raws[0])
    assert not missing.exists()
