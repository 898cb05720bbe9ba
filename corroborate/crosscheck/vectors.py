"""Claim embeddings kept by text in this process, so that no claim is embedded twice.

Embedding the claims is most of a cross-check's time (MiniLM: 72-85 % of it on BASIL,
`benchmarks/crosscheck_profile.py`). A story re-checked after an article joins (or a merge)
embedded all its members' claims again; kept here, only the new article's are embedded (the
web app's recompute runs in one long-lived process, web/jobs.py; `corroborate cluster` then
its cross-check in one). A story's new texts are one call, in its order, as before: a story
checked once gets the very same vectors (the development gold's dossiers: byte-identical).
A kept text embedded in another story's call may differ in the last float bits (padding to
another length changes the sums' order), far below any threshold the cross-check applies.

Tried and dropped: embedding the claims of a batch of 16 stale stories in one call (fewer,
better-packed batches). End to end on 300 BASIL articles, alternated with the commit before,
cross-check 280 and 137 s against 261 and 184 s, the machine's load moving from 8 to 2 in
between: no gain the noise lets one see.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

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


def kept() -> int:
    """How many texts' vectors are kept."""
    with _lock:
        return len(_memo)


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
