"""Two ingests into one store both finish, every article stored once.

Issue 16: `ingest halfA & ingest halfB` into one file, 150 BASIL articles each: one died
with `database is locked` and stored none of its 150, because each batch's write
transaction waited inside for the workers' extraction (20.8 s at a stretch). Here a batch is
written only once its documents are processed, and a writer waits for another. The test runs
the issue's two real processes of 150 articles each, extraction on (clustering off: it is
not what locked); `benchmarks/concurrent_ingest.py` runs the same with clustering.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from conftest import shared_path

from corroborate.errors import StoreBusyError
from corroborate.extract import EXTRACT_VERSION
from corroborate.pipeline import IngestOptions, Prepared, _Pending, _store_batch, prepare
from corroborate.records import DocFormat, Outcome, RawDocument
from corroborate.store import Store

PER_PROCESS = 150  # several batches each, so the processes take turns at the lock


def _halves(tmp_path: Path, count: int) -> tuple[Path, Path]:
    files = sorted(shared_path("data", "stories", "basil", "articles").rglob("*.json"))
    halves = (tmp_path / "halfA", tmp_path / "halfB")
    for half, chosen in zip(halves, (files[:count], files[-count:]), strict=True):
        half.mkdir()
        for path in chosen:
            shutil.copy(path, half / path.name)
    return halves


def test_two_concurrent_ingests_store_every_article_once(tmp_path: Path) -> None:
    db = tmp_path / "two.db"
    runs = [subprocess.Popen([sys.executable, "-m", "corroborate", "ingest", "--db", str(db),
                              "--no-fetch", "--no-cluster", "--workers", "2", str(half)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for half in _halves(tmp_path, PER_PROCESS)]
    outputs = [run.communicate(timeout=240) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, out + err
        assert f"{PER_PROCESS} ingested" in out, out + err
        assert "locked" not in err
    with Store(db) as store:
        stored = store.list_articles(limit=None)
        sources = [s.article.source for s in stored]
        assert len(stored) == 2 * PER_PROCESS
        assert len(set(sources)) == len(sources)
        assert store.articles_to_extract(EXTRACT_VERSION) == []  # every one extracted


def test_a_batch_is_written_only_after_its_documents_are_processed(db_path: Path) -> None:
    """While the workers' results are awaited, another process can write: no lock held."""
    store = Store(db_path)
    other = Store(db_path, write_wait_s=0.2)
    raws = [RawDocument(f"doc{i}", f"Title {i}\n\n{'Some words here. ' * 40} {i}".encode(),
                        DocFormat.TEXT) for i in range(3)]
    waited_free: list[bool] = []

    def processed() -> Iterator[Prepared]:  # stands in for the workers' results
        for raw in raws:
            try:
                with other.writer():
                    waited_free.append(True)
            except StoreBusyError:
                waited_free.append(False)
            yield prepare(raw, extract=False)

    events = _store_batch(_Pending(list(raws), {}, processed()), store,
                          IngestOptions(fetch=False, workers=1))
    assert waited_free == [True, True, True]
    assert [e.outcome for e in events].count(Outcome.INGESTED) == 3
    store.close()
    other.close()
