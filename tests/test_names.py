"""Person keys: one spelling for the many ways news writes one name (names we chose)."""

from __future__ import annotations

import pytest

from corroborate.names import person_key


@pytest.mark.parametrize(("one", "other"), [
    ("Kim Jong-un", "Kim Jong Un"),
    ("Donald J. Trump", "Donald Trump"),
    ('Vincent "The Chin" Gigante', "Vincent Gigante"),
    ("José Mourinho", "Jose Mourinho"),
    ("Jim O’Brien", "Jim O'Brien"),
    ("Jim OʼBrien", "Jim O'Brien"),
    ("Binali Yıldırım", "Binali Yildirim"),
    ("Lech Wałęsa", "Lech Walesa"),
    ("Kim Jong\u2011un", "Kim Jong Un"),  # a non-breaking hyphen
    ("Dr Mark Vinar", "Mark Vinar"),
    ("Sgt. Howard Gomez", "Howard Gomez"),
])
def test_spellings_of_one_name_share_a_key(one: str, other: str) -> None:
    assert person_key(one) == person_key(other)


@pytest.mark.parametrize(("one", "other"), [
    ("Donald Trump Jr.", "Donald Trump"),  # a suffix names another person
    ("W. Mark Felt", "Mark Felt"),  # a leading initial is part of how the name is used
    ("Kim Yo-jong", "Kim Jong-un"),
    ("General Motors", "Motors"),  # a title strips only before a full name
    ("Major Garrett", "Garrett"),
    ("习近平", "李强"),  # another script: kept as written, never folded to ""
    ("Владимир Путин", "Сергей Лавров"),
])
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert person_key(one) != person_key(other)
