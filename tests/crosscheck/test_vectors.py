"""Claim vectors are embedded once per text and process: a re-check embeds only new claims,
and vectors kept from another call change no cross-check."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from corroborate.crosscheck import crosscheck, vectors
from corroborate.models import embed
from corroborate.pipeline import IngestOptions, ingest
from corroborate.records import CrossCheck, Extraction, StoredArticle
from corroborate.store import Store


def _seed_pairs(seeds_dir: Path) -> list[tuple[StoredArticle, Extraction]]:
    store = Store(":memory:")
    try:
        ingest([str(seeds_dir)], store, IngestOptions(fetch=False, workers=1))
        pairs = []
        for stored in store.list_articles():
            extraction = store.get_extraction(stored.id)
            assert extraction is not None
            pairs.append((stored, extraction))
        return pairs
    finally:
        store.close()


def _facts(check: CrossCheck) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(f.verdict.value, f.statement, tuple(v.claim for v in f.versions))
            for f in check.facts]


def test_each_claim_is_embedded_once_and_a_recheck_embeds_only_the_new_article(
    seeds_dir: Path,
) -> None:
    first, second = _seed_pairs(seeds_dir)
    one = list(dict.fromkeys(c.text for c in first[1].claims))
    two = [t for t in dict.fromkeys(c.text for c in second[1].claims) if t not in one]
    assert one and two
    vectors.forget()
    kept = vectors.claim_vectors(one)
    assert vectors.kept() == len(one)
    assert np.array_equal(vectors.claim_vectors(one), kept)  # kept: nothing embedded
    both = vectors.claim_vectors([*one, *two])  # the article that joined: its claims only
    assert vectors.kept() == len(one) + len(two)
    assert np.array_equal(both[: len(one)], kept)
    # one story alone: the model's very vectors (with the claims' thread count now)
    assert np.array_equal(kept, embed(one, threads=vectors.claim_threads()))
    assert np.allclose(np.linalg.norm(both, axis=1), 1.0, atol=1e-5)


def test_a_cross_check_is_the_same_with_its_claims_kept_from_another_call(
    seeds_dir: Path,
) -> None:
    pairs = _seed_pairs(seeds_dir)
    vectors.forget()
    alone = crosscheck(pairs)  # its own embedding call, as before the memo
    vectors.forget()
    other = [c.text for _, e in pairs for c in e.claims] + ["An unrelated claim in a batch."]
    vectors.claim_vectors(other[::-1])  # one call with another story's text, another order
    assert _facts(crosscheck(pairs)) == _facts(alone)


@pytest.mark.parametrize(("load", "threads"), [(10.0, 1), (0.0, 2)])
def test_claims_are_embedded_with_one_torch_thread_on_a_busy_machine_only(
    monkeypatch: pytest.MonkeyPatch, load: float, threads: int,
) -> None:
    import torch

    from corroborate import models

    seen: list[int] = []
    encode = models.embedding_model().encode

    def spying(texts: Sequence[str], **kwargs: object) -> np.ndarray:
        seen.append(torch.get_num_threads())
        return encode(texts, **kwargs)

    torch.set_num_threads(2)
    monkeypatch.setattr(models.embedding_model(), "encode", spying)
    monkeypatch.setattr(vectors.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(vectors.os, "getloadavg", lambda: (load, load, load))
    vectors.forget()
    texts = ["The council approved the budget on Tuesday.", "Two workers died in the fire."]
    got = vectors.claim_vectors(texts)
    assert seen == [threads]
    assert torch.get_num_threads() == 2  # the process-wide setting is restored
    # the same vectors as with two threads, to far below any threshold the cross-check uses
    monkeypatch.undo()
    assert np.allclose(got, embed(texts), atol=1e-5)



_OVERLAP = """
import threading, time, torch
from corroborate.models import torch_threads
torch.set_num_threads(2)
def hold(start, seconds):
    time.sleep(start)
    with torch_threads(1):
        time.sleep(seconds)
first = threading.Thread(target=hold, args=(0.0, 0.2))
second = threading.Thread(target=hold, args=(0.05, 0.4))
first.start(); second.start(); first.join(); second.join()
print(torch.get_num_threads())
"""


def test_overlapping_thread_settings_leave_the_process_as_it_was() -> None:
    # two cross-checks in two threads (the web app's background recompute): the later one to
    # leave must not restore the earlier one's one-thread setting for good (a fresh process:
    # one that has run other tests' models keeps thread settings apart)
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _OVERLAP], capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "2"
