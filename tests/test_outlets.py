"""Outlet identity: one outlet per publisher, however its name or host is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate import outlets
from corroborate.outlets import outlet_table, registrable_domain


def test_fox_written_three_ways_is_one_outlet() -> None:
    table = outlet_table()
    keys = {table.identify("fox").key, table.identify("FOX").key,
            table.identify(None, "https://www.foxnews.com/politics/story").key,
            table.identify("foxnews.com").key}
    assert keys == {"outlet:fox"}
    assert table.identify("FOX").name == "Fox News"


def test_subdomains_fold_to_the_registrable_domain() -> None:
    table = outlet_table()
    assert table.identify(None, "http://edition.cnn.com/2024/x").key == \
        table.identify(None, "https://cnn.com/").key == "outlet:cnn"
    assert registrable_domain("http://news.bbc.co.uk/2/hi/x.stm") == "bbc.co.uk"
    assert registrable_domain("worldnews.nbcnews.com") == "nbcnews.com"
    # an outlet no table knows: its domain, case-insensitive, the host kept as data
    a = table.identify("Pardaphash", "http://WWW.PARDAPHASH.com/news/1")
    assert (a.key, a.name, a.domain) == ("outlet:pardaphash.com", "Pardaphash", "pardaphash.com")


def test_bare_names_fold_case_and_spacing() -> None:
    table = outlet_table()
    assert table.identify("The Morning  Ledger").key == table.identify("morning ledger").key


def test_wires_are_known_and_aliases_resolve() -> None:
    table = outlet_table()
    assert table.canonical_key("outlet:associated press") == "outlet:ap"
    assert table.canonical_key("outlet:agence france-presse") == "outlet:afp"
    assert table.is_wire("outlet:reuters") and not table.is_wire("outlet:bbc")


def test_a_user_file_extends_the_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = tmp_path / "outlets.toml"
    extra.write_text('[eastmere]\nname = "Eastmere Gazette"\ndomains = ["eastmere-gazette.test"]\n'
                     'aliases = ["the Gazette"]\n', encoding="utf-8")
    monkeypatch.setenv(outlets.ENV_VAR, str(extra))
    outlets.outlet_table.cache_clear()
    try:
        table = outlet_table()
        assert table.identify("the Gazette").key == "outlet:eastmere"
        assert table.identify(None, "https://www.eastmere-gazette.test/a").name == \
            "Eastmere Gazette"
        assert table.identify("Fox").key == "outlet:fox"  # the bundled table still there
    finally:
        outlets.outlet_table.cache_clear()


def test_an_unreadable_user_file_is_a_logged_warning(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[broken\n", encoding="utf-8")
    monkeypatch.setenv(outlets.ENV_VAR, str(bad))
    outlets.outlet_table.cache_clear()
    try:
        assert outlet_table().identify("fox").key == "outlet:fox"
        assert "could not be read" in caplog.text
    finally:
        outlets.outlet_table.cache_clear()
