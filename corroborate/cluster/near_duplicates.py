"""Near-duplicate detection with MinHash LSH: syndicated copies and light rewrites.

Ten outlets running one wire story are one source, not ten, so a near-duplicate is stored
linked to its original. Signatures come from datasketch's MinHash over word 3-shingles; the
LSH bands are persisted by the store (one indexed row per band), so finding candidates costs
a few index look-ups whatever the corpus size, and survives restarts without a rebuild.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS  # 4 rows a band: pairs at Jaccard 0.5 share a band 87 % of the time
THRESHOLD = 0.5  # estimated Jaccard of word 3-shingles at or above which texts are near-duplicates
SHINGLE_WORDS = 3
MIN_SHINGLES = 10  # shorter texts carry too little to judge; only exact duplicates apply
_SEED = 1
_SCHEME = "affine32"  # 32-bit hash values: stored signatures are 512 bytes; never change it
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A text's MinHash signature and its LSH band keys."""

    signature: bytes
    bands: tuple[int, ...]


def fingerprint(text: str) -> Fingerprint | None:
    """MinHash fingerprint of `text`, or None when it is too short to compare."""
    words = _WORD.findall(text.casefold())
    shingles = {
        " ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8")
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }
    if len(shingles) < MIN_SHINGLES:
        return None
    import numpy as np
    from datasketch import MinHash  # imported here: it pulls in scipy, which reads never need

    mh = MinHash(num_perm=NUM_PERM, seed=_SEED, permutations=_permutations(), scheme=_SCHEME)
    mh.update_batch(list(shingles))
    values = mh.hashvalues.astype(np.uint32)
    return Fingerprint(values.tobytes(), band_keys(values))


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch draws the same permutations from the seed every time; draw them once."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME).permutations


def band_keys(values: np.ndarray) -> tuple[int, ...]:
    """One signed 64-bit key per band (SQLite integers are signed).

    The band's index is hashed in with its rows, so a key alone names its band and the
    store can find all candidates with one `IN` look-up.
    """
    keys = []
    for b in range(BANDS):
        chunk = b.to_bytes(2, "big") + values[b * ROWS : (b + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return tuple(keys)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures: the share of equal MinHash values."""
    import numpy as np  # here, not at module load: the CLI's read commands never compare

    va = np.frombuffer(a, dtype=np.uint32)
    vb = np.frombuffer(b, dtype=np.uint32)
    return float(np.count_nonzero(va == vb)) / len(va)


def best_match(
    fp: Fingerprint, candidates: Iterable[tuple[int, bytes]], threshold: float = THRESHOLD
) -> tuple[int, float] | None:
    """The most similar candidate at or above `threshold`, ties to the oldest (lowest id)."""
    best: tuple[int, float] | None = None
    for article_id, signature in candidates:
        sim = similarity(fp.signature, signature)
        if sim < threshold:
            continue
        if best is None or sim > best[1] or (sim == best[1] and article_id < best[0]):
            best = (article_id, sim)
    return best
