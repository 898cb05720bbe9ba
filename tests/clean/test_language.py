"""Language identification of article text (lingua, shipped models)."""

from __future__ import annotations

from corroborate.clean.language import detect_language


def test_detects_english_german_russian(seed_files) -> None:  # type: ignore[no-untyped-def]
    assert detect_language(seed_files[0].read_text(encoding="utf-8")) == "en"
    assert detect_language(
        "Die Bundesregierung hat am Montag beschlossen, die Hilfen für die Landwirte zu "
        "verlängern, wie ein Sprecher in Berlin mitteilte."
    ) == "de"
    assert detect_language(
        "Правительство в понедельник решило продлить помощь фермерам, сообщил представитель."
    ) == "ru"


def test_too_little_text_is_unknown() -> None:
    assert detect_language("12 34 — ok") is None
