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

When other processes keep the cores busy (1-minute load average at least BUSY_LOAD per core),
the claims are embedded with one torch thread. Batches of ~100 short claims (median 20 tokens)
give each of two threads little work between the barriers of every layer, and a thread that
waits for its descheduled partner stalls the whole call: 8 BASIL stories' cross-check took
19.2-20.4 s with one thread against 34.2-34.3 s with two (load ~6), 30 stories 50.1-81.0 s
against 86.8-125.7 s (load 3-6). On a quieter machine two threads win: end to end on 300
articles at load ~2.4, cross-check 170.9 s with one thread against 144.3 s with two; the 8
stories at load ~1.0, 12.2-12.7 s against 8.1 s. So the
choice is made per call, from the load. The vectors are the same to the last float bits that
any threshold sees (the development gold's SUMMARY and dossiers are unchanged with one
thread). Clustering's embedding (models.embed) keeps torch's default.

Tried and dropped: int8 dynamic quantization of MiniLM's linear layers (torch.ao), 1.9x faster
embedding but cosines moved by 0.03 on average (0.17 at most) and the development gold lost
verdict accuracy (non-debatable 0.864 -> 0.831 per-tensor, 0.847 per-channel; pair precision
0.969 -> 0.929 per-channel). ONNX Runtime (fp32, same vectors) embedded 1.33x faster than torch
with two threads, but needs onnxruntime and onnx (to export) as new dependencies; int8 in ONNX
Runtime was 2.6x with the same drift as torch's int8. Shorter max_seq_length does nothing:
no BASIL claim is over 104 tokens and batches pad to their longest text.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from corroborate.models import embed

MEMO_SIZE = 50_000  # texts (384 float32 each: ~80 MB at most)
BUSY_LOAD = 1.5  # load average per core from which claims are embedded with one thread

_memo: OrderedDict[str, np.ndarray] = OrderedDict()
_lock = threading.Lock()


def claim_vectors(texts: Sequence[str]) -> np.ndarray:
    """Unit-length embeddings of `texts`, one row each: kept ones reused, the others
    embedded in one call (in the order given) and kept."""
    with _lock:
        missing = [t for t in dict.fromkeys(texts) if t not in _memo]
    if missing:
        _keep(missing, embed(missing, threads=claim_threads()))
    with _lock:
        rows = []
        for text in texts:
            row = _memo.get(text)
            if row is None:  # evicted by another thread meanwhile: embed it again
                row = embed([text], threads=claim_threads())[0]
            else:
                _memo.move_to_end(text)
            rows.append(row)
    if not rows:
        return embed([])
    return np.stack(rows)


def claim_threads() -> int | None:
    """1 on a busy machine (see above), else None: torch's own thread count."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average on this platform: torch decides
        return None
    return 1 if load >= BUSY_LOAD * (os.cpu_count() or 1) else None


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
