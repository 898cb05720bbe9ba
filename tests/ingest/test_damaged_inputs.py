"""A damaged or special input costs that input only: never the run, never the good files.

Issue 16: a WARC with a bogus record ended the whole run with warcio's AttributeError, a
truncated .warc.gz lost its tail without a word, a FIFO hung the run and a link to
/dev/zero was read without end. Each is now one skip with a reason, beside the good pages.
"""

from __future__ import annotations

import gzip
import io
import logging
import os
import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corroborate.cli import app
from corroborate.ingest import sources
from corroborate.ingest.sources import iter_sources
from corroborate.pipeline import IngestOptions, ingest
from corroborate.records import DocFormat, Outcome, RawDocument, Skip
from corroborate.store import Store

OFFLINE = IngestOptions(fetch=False, workers=1, extract=False)
PARAGRAPH = ("The swing bridge that carries traffic across Kellmarsh harbour was closed on "
             "Tuesday after engineers found hairline cracks in the steel girders of its main "
             "span, and buses now face a detour of almost eleven kilometres. ")
NOUNS = ("mayor", "council", "ferry", "harbour", "school", "bridge", "station", "market",
         "union", "court", "police", "hospital", "museum", "airport", "factory", "farmer")
VERBS = ("closed", "opened", "inspected", "funded", "criticised", "visited", "sold", "built")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def text(title: str, sentences: int = 12) -> str:
    """A different article for every title: pages alike would be stored as near-duplicates."""
    rng = random.Random(title)
    return " ".join(f"The {rng.choice(NOUNS)} {rng.choice(VERBS)} the {rng.choice(NOUNS)} "
                    f"near the {rng.choice(NOUNS)} on {rng.choice(DAYS)}."
                    for _ in range(sentences))


def page(title: str) -> bytes:
    body = "".join(f"<p>{PARAGRAPH}{text(title + str(k), 6)}</p>" for k in range(5))
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article>"
            f"<h1>{title}</h1>{body}</article></body></html>").encode()


def warc(pages: int, *, compress: bool) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=compress)
    for i in range(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://example.com/{i}", "response", payload=io.BytesIO(page(f"Page {i}")),
            http_headers=headers))
    return buf.getvalue()


def read(*specs: Path) -> list[RawDocument | Skip]:
    return list(iter_sources([str(s) for s in specs], None))


# -- WARC -------------------------------------------------------------------------------------


def test_cli_malformed_warc_is_skipped_and_the_good_page_stored(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "g.warc").write_bytes(
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 9999\r\n\r\n"
        + random.Random(16).randbytes(2000))
    (folder / "good.html").write_bytes(page("Harbour bridge closed"))
    db = tmp_path / "t.db"
    result = CliRunner().invoke(app, ["ingest", "--db", str(db), "--no-fetch", "--no-extract",
                                      "--json", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    with Store(db) as store:
        (stored,) = store.list_articles(limit=None)
    assert stored.article.title == "Harbour bridge closed"
    assert '"source": "' + str(folder / "g.warc") in result.stdout
    assert "unreadable WARC at the first record" in result.stdout


def test_truncated_warc_gz_keeps_the_records_before_and_says_why(tmp_path: Path) -> None:
    data = warc(3, compress=True)
    cut = tmp_path / "cut.warc.gz"
    for end in (len(data) - 30, len(data) - 300, len(data) * 2 // 3 + 20):
        cut.write_bytes(data[:end])
        items = read(cut)
        docs = [i for i in items if isinstance(i, RawDocument)]
        skips = [i for i in items if isinstance(i, Skip)]
        assert len(docs) == 2, (end, items)
        assert len(skips) == 1 and skips[0].reason, (end, items)
        assert "truncated" in skips[0].reason or "unreadable WARC after 2" in skips[0].reason


def test_warc_record_cut_inside_its_body_is_skipped_not_stored_short(tmp_path: Path) -> None:
    data = warc(2, compress=False)
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[:-400])
    first, second = read(cut)
    assert isinstance(first, RawDocument)
    assert isinstance(second, Skip) and "record truncated" in second.reason


def test_warc_without_html_responses_says_so(tmp_path: Path) -> None:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    writer.write_record(writer.create_warc_record("https://example.com/", "resource",
                                                  payload=io.BytesIO(b"x" * 10)))
    path = tmp_path / "empty.warc"
    path.write_bytes(buf.getvalue())
    (skip,) = read(path)
    assert isinstance(skip, Skip) and "no HTML response" in skip.reason


# -- any reader -------------------------------------------------------------------------------


def test_reader_crash_mid_file_keeps_what_it_read_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_jsonl(path: Path) -> Iterator[RawDocument | Skip]:
        yield RawDocument(f"{path}:1", page("Before the failure"), DocFormat.HTML)
        raise KeyError("a parser bug")

    monkeypatch.setattr(sources, "read_jsonl", broken_jsonl)
    (tmp_path / "a.jsonl").write_text("{}\n")
    (tmp_path / "b.html").write_bytes(page("The next file"))
    store = Store(":memory:")
    with caplog.at_level(logging.WARNING):
        summary = ingest([str(tmp_path)], store, OFFLINE)
    assert summary.count(Outcome.INGESTED) == 2
    (skip,) = summary.skipped
    assert skip.source.endswith("a.jsonl")
    assert skip.reason == "reader failed: KeyError: 'a parser bug' (1 document read before it kept)"
    assert "a parser bug" in caplog.text
    assert {a.article.title for a in store.list_articles(limit=None)} == {
        "Before the failure", "The next file"}


def test_truncated_jsonl_gz_keeps_the_lines_before(tmp_path: Path) -> None:
    lines = b"".join(b'{"title": "T%d", "text": "%s"}\n' % (i, PARAGRAPH.encode() * 3)
                     for i in range(40))
    data = gzip.compress(lines)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items = read(path)
    assert sum(isinstance(i, RawDocument) for i in items) > 0
    assert isinstance(items[-1], Skip) and "ends early" in items[-1].reason


def test_lone_surrogate_in_a_json_record_is_stored_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    one = r'{"title": "Bridge \ud800 closed", "text": "' + text("one", 20) + '"}'
    two = r'{"title": "Second", "text": "' + text("two", 20) + r' \udfff"}'
    path.write_text(f"{one}\n{two}\n")
    store = Store(":memory:")
    summary = ingest([str(path)], store, OFFLINE)
    assert summary.count(Outcome.INGESTED) == 2, summary.skipped


# -- special files ----------------------------------------------------------------------------


@pytest.fixture
def special_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.html").write_bytes(page("First good page"))
    (folder / "z.html").write_bytes(page("Second good page"))
    fifo = folder / "pipe.txt"
    os.mkfifo(fifo)
    (folder / "zero.html").symlink_to("/dev/zero")
    yield folder
    _release(fifo)


def _release(fifo: Path) -> None:
    """Unblock a reader stuck on the FIFO (if the code under test opened it), so the test
    fails instead of hanging the run."""
    try:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return  # no reader waiting: nothing to release
    os.close(fd)


def test_fifo_and_dev_zero_link_are_skipped_and_good_pages_stored(special_folder: Path) -> None:
    store = Store(":memory:", write_wait_s=5)
    done: dict[str, object] = {}

    def run() -> None:
        done["summary"] = ingest([str(special_folder)], store, OFFLINE)

    started = time.monotonic()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=5)
    hung = worker.is_alive()
    if hung:
        _release(special_folder / "pipe.txt")
    assert not hung, "the ingest hung on a special file"
    assert time.monotonic() - started < 5
    summary = done["summary"]
    assert summary.count(Outcome.INGESTED) == 2  # type: ignore[attr-defined]
    reasons = {Path(e.source).name: e.reason for e in summary.skipped}  # type: ignore[attr-defined]
    assert reasons == {
        "pipe.txt": "a named pipe (FIFO), not a regular file: not read",
        "zero.html": "a character device, not a regular file: not read",
    }


def test_special_files_named_on_the_command_line_are_skipped(special_folder: Path) -> None:
    fifo, zero = special_folder / "pipe.txt", special_folder / "zero.html"
    items = read(fifo, zero, Path("/dev/null"))
    assert [type(i) for i in items] == [Skip, Skip, Skip]
    assert "named pipe" in items[0].reason  # type: ignore[union-attr]
    assert items[0].source == str(fifo)
    assert all("character device" in i.reason for i in items[1:])  # type: ignore[union-attr]


def test_a_symlink_loop_is_skipped_with_the_reason(tmp_path: Path) -> None:
    loop = tmp_path / "loop.html"
    loop.symlink_to(loop)
    (skip,) = read(tmp_path)
    assert isinstance(skip, Skip) and "symbolic links" in skip.reason
