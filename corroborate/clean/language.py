"""Language identification with lingua (its models ship inside the wheel: no download).

Later stages (spaCy English pipeline, claim extraction) only understand English, so each
article records its language and they can skip the rest with a reason instead of guessing.
"""

from __future__ import annotations

from functools import lru_cache

from lingua import LanguageDetector, LanguageDetectorBuilder

_SAMPLE_CHARS = 250  # a paragraph is plenty for trigram statistics; cost grows with length


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    # Low-accuracy mode uses trigram models only (65 MB, loaded per language on demand,
    # against 1.3 GB and 5 s for the full models); on article-length text it agrees with
    # them, and one-line snippets, where it can err, are not what we classify.
    return (
        LanguageDetectorBuilder.from_all_languages()
        .with_low_accuracy_mode()
        .build()
    )


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language ("en"), or None when unsure or too short."""
    sample = text[:_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < 20:
        return None
    lang = _detector().detect_language_of(sample)
    return lang.iso_code_639_1.name.lower() if lang is not None else None
