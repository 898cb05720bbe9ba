"""MinHash near-duplicates: syndicated copies and light rewrites match, other stories don't."""

from __future__ import annotations

from pathlib import Path

from corroborate.clean.text import clean_scraped_text
from corroborate.cluster.near_duplicates import best_match, fingerprint, similarity


def _body(path: Path) -> str:
    return clean_scraped_text(path.read_text(encoding="utf-8")).body


def test_syndicated_copy_with_extra_boilerplate_matches(seed_files: list[Path]) -> None:
    original = _body(seed_files[0])
    copy = "Distributed by a wire service.\n\n" + original + "\n\nCopyright 2024 Wire."
    a, b = fingerprint(original), fingerprint(copy)
    assert a and b
    assert similarity(a.signature, b.signature) > 0.8
    assert best_match(b, [(1, a.signature)]) == (1, similarity(a.signature, b.signature))


def test_light_rewrite_matches(seed_files: list[Path]) -> None:
    original = _body(seed_files[0])
    rewrite = (original.replace("tightening", "growing closer")
               .replace("Russian dictator", "Russian president")
               .replace("estimates", "believes"))
    a, b = fingerprint(original), fingerprint(rewrite)
    assert a and b
    assert best_match(b, [(7, a.signature)]) is not None


def test_two_reports_of_one_event_by_different_outlets_do_not_match(
    seed_files: list[Path],
) -> None:
    """Same story, independently written: not copies (clustering groups them, not dedupe)."""
    a, b = fingerprint(_body(seed_files[0])), fingerprint(_body(seed_files[1]))
    assert a and b
    assert similarity(a.signature, b.signature) < 0.2
    assert best_match(b, [(1, a.signature)]) is None


def test_too_short_text_has_no_fingerprint() -> None:
    assert fingerprint("Breaking news: storm.") is None
