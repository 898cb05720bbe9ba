"""Claim embeddings kept by text in this process, so that no claim is embedded twice.

Embedding the claims is most of a cross-check's time (MiniLM: 72-85 % of it on BASIL,
`benchmarks/crosscheck_profile.py`). Two things repeat that work without this:
- a story re-checked after an article joins (or a merge) embedded all its members' claims
  again; kept here, only the new article's are embedded (the web app's recompute runs in one
  long-lived process, web/jobs.py);
- a story's claims were one `encode` call of a few dozen texts of mixed lengths, each batch
  padded to its longest. `prefetch` embeds the claims of many stories in one call, where the
  model's length sorting makes batches of like lengths (measured: ~1.4x the texts per second).

A text embedded in another call than before may differ in the last float bits (padding to
another length changes the sums' order), far below any threshold the cross-check applies.
A story checked on its own embeds its new texts in one call, in its order, as before.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence

import numpy as np

from corroborate.models import embed

MEMO_SIZE = 50_000  # texts (384 float32 each: ~80 MB at most)

_memo: OrderedDict[str, np.ndarray] = OrderedDict()
_lock = threading.Lock()


def claim_vectors(texts: Sequence[str]) -> np.ndarray:
    """Unit-length embeddings of `texts`, one row each: kept ones reused, the others
    embedded in one call (in the order given) and kept."""
    with _lock:
        missing = [t for t in dict.fromkeys(texts) if t not in _memo]
    if missing:
        _keep(missing, embed(missing))
    with _lock:
        rows = []
        for text in texts:
            row = _memo.get(text)
            if row is None:  # evicted by another thread meanwhile: embed it again
                row = embed([text])[0]
            else:
                _memo.move_to_end(text)
            rows.append(row)
    if not rows:
        return embed([])
    return np.stack(rows)


def prefetch(texts: Iterable[str]) -> int:
    """Embed, in one call, those of `texts` not kept yet (the claims of a batch of stories
    about to be cross-checked); how many were embedded."""
    with _lock:
        missing = [t for t in dict.fromkeys(texts) if t not in _memo]
    missing = missing[:MEMO_SIZE]
    if missing:
        _keep(missing, embed(missing))
    return len(missing)


def forget() -> None:
    """Drop every kept vector (a new embedding model; tests)."""
    with _lock:
        _memo.clear()


def _keep(texts: Sequence[str], vectors: np.ndarray) -> None:
    with _lock:
        for text, row in zip(texts, vectors, strict=True):
            _memo[text] = row
            _memo.move_to_end(text)
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
