"""The scraped-text cleaner on the seeds (exact article text) and on each rule's own cases."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from corroborate.clean.text import clean_scraped_text, parse_byline, parse_dateline

# The noise lines of each seed, as the issue lists them; everything else is article text.
SEED_NOISE = {
    "000_a0cdc4a961cd9f3b.txt": {
        "NewsNorth Korea's engineers to bolster Russia's efforts in Donetsk",
        "Putin and Kim tighten cooperation. North Korean soldiers on the Ukrainian front?",
        "Images source: © Telegram,",
        "Related content",
    },
    "001_06c599337fb9e8e0.txt": {
        "Russia & North korea",
        "Read also:",
        "Become a Patron!",
    },
}
SEED_HEADER = {
    "000_a0cdc4a961cd9f3b.txt": (
        "North Korea's engineers to bolster Russia's efforts in Donetsk",
        "Karina Strzelińska",
        datetime(2024, 6, 27, 7, 52),
    ),
    "001_06c599337fb9e8e0.txt": (
        "South Korean media: North Korea might send military construction and engineering "
        "forces to occupied Donetsk in July",
        None,
        datetime(2024, 6, 27, 6, 30),
    ),
}
APPEAL_STARTS = ("You could close this page", "We keep our reporting open",
                 "A little bit goes a long way")


def _norm(line: str) -> str:
    return " ".join(line.replace("\u00a0", " ").split())


def _expected_body(path: Path) -> list[str]:
    """Article paragraphs of a seed: every line but the header, repeats and listed noise."""
    title, _author, _date = SEED_HEADER[path.name]
    noise = {_norm(n) for n in SEED_NOISE[path.name]}
    body, seen = [], {_norm(title)}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = _norm(raw)
        if (not line or line in noise or line in seen or line.startswith(APPEAL_STARTS)
                or line in ("Karina Strzelińska", "27 June 2024 07:52", "Jun 27, 2024 - 06:30")):
            continue
        seen.add(line)
        body.append(line)
    return body


def test_seeds_clean_to_exactly_their_article_text(seed_files: list[Path]) -> None:
    assert [p.name for p in seed_files] == sorted(SEED_HEADER)
    for path in seed_files:
        cleaned = clean_scraped_text(path.read_text(encoding="utf-8"))
        title, author, published = SEED_HEADER[path.name]
        assert cleaned.title == title
        assert cleaned.author == author
        assert cleaned.published == published
        assert cleaned.body.split("\n\n") == _expected_body(path)


def test_seed_noise_is_gone_and_recorded_with_reasons(seed_files: list[Path]) -> None:
    for path in seed_files:
        cleaned = clean_scraped_text(path.read_text(encoding="utf-8"))
        for noise in SEED_NOISE[path.name]:
            assert _norm(noise) not in cleaned.body
            assert any(_norm(noise) == _norm(r.text) for r in cleaned.removed), noise
        for start in APPEAL_STARTS:
            assert start not in cleaned.body
        assert all(r.reason for r in cleaned.removed)


def test_seed_body_keeps_every_sentence(seed_files: list[Path]) -> None:
    """Spot-check sentences the later stages depend on."""
    bodies = {p.name: clean_scraped_text(p.read_text(encoding="utf-8")).body for p in seed_files}
    assert "up to £88 million annually" in bodies["000_a0cdc4a961cd9f3b.txt"]
    assert "about 6,700 containers" in bodies["000_a0cdc4a961cd9f3b.txt"]
    assert "Moscow and Pyongyang are tightening cooperation." in bodies["000_a0cdc4a961cd9f3b.txt"]
    assert "up to $115 million annually" in bodies["001_06c599337fb9e8e0.txt"]
    assert "as early as July, potentially earning millions" in bodies["001_06c599337fb9e8e0.txt"]
    assert '"cannon fodder,"' not in bodies["001_06c599337fb9e8e0.txt"]  # curly quotes kept
    assert "“cannon fodder,”" in bodies["001_06c599337fb9e8e0.txt"]


def test_cleaner_removes_credit_and_caption_above_it() -> None:
    text = (
        "Storm closes harbour\n\nFishing boats tied up at the quay.\n"
        "Photo: © Jane Roe / Coast Desk\n"
        "By Jane Roe\n\n3 March 2025 10:15\n\n"
        "The harbour master closed the port on Monday as winds reached 110 km/h, officials said.\n"
    )
    cleaned = clean_scraped_text(text)
    assert cleaned.title == "Storm closes harbour"
    assert cleaned.author == "Jane Roe"
    assert cleaned.published == datetime(2025, 3, 3, 10, 15)
    assert cleaned.body.startswith("The harbour master closed the port")
    reasons = {r.text: r.reason for r in cleaned.removed}
    assert reasons["Photo: © Jane Roe / Coast Desk"] == "image credit"
    assert "caption" in reasons["Fishing boats tied up at the quay."]


def test_cleaner_drops_marker_and_the_link_title_after_it() -> None:
    text = (
        "Council passes budget\n\nThe city council passed its budget on Tuesday after a long "
        "debate about bus fares and road repairs.\n\nRead more:\nMayor defends bus fare rise\n\n"
        "The vote was 31 to 12, with two abstentions, the clerk said.\n"
    )
    cleaned = clean_scraped_text(text)
    assert "Mayor defends bus fare rise" not in cleaned.body
    assert "Read more" not in cleaned.body
    assert "The vote was 31 to 12" in cleaned.body


def test_cleaner_keeps_text_without_headline() -> None:
    text = ("The harbour master closed the port on Monday as winds reached 110 km/h, officials "
            "said, and fishing boats were told to stay in the harbour until Wednesday at least, "
            "when the storm is expected to move north.")
    cleaned = clean_scraped_text(text)
    assert cleaned.title is None
    assert cleaned.body == text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("27 June 2024 07:52", datetime(2024, 6, 27, 7, 52)),
        ("Jun 27, 2024 - 06:30", datetime(2024, 6, 27, 6, 30)),
        ("Published: 3 March 2025", datetime(2025, 3, 3)),
        ("2025-03-03 10:15", datetime(2025, 3, 3, 10, 15)),
        ("The vote took place in 2024 after a long debate.", None),
        ("No date here", None),
    ],
)
def test_parse_dateline(line: str, expected: datetime | None) -> None:
    assert parse_dateline(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Karina Strzelińska", "Karina Strzelińska"),
        ("By Jane Roe", "Jane Roe"),
        ("Jean-Luc O'Neill", "Jean-Luc O'Neill"),
        ("Russia & North korea", None),
        ("The council voted.", None),
        ("Storm", None),
    ],
)
def test_parse_byline(line: str, expected: str | None) -> None:
    assert parse_byline(line) == expected
