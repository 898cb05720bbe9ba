"""Money conversion at the ECB rate of the publication day, and the fallbacks it states."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from corroborate.extract import money


def test_money_converts_gbp_at_pub_date() -> None:
    conv = money.convert(88e6, 88e6, "GBP", date(2024, 6, 27))
    assert conv is not None
    assert conv.rate_date == "2024-06-27"
    assert conv.rate_note == "ECB rate of 2024-06-27"
    assert conv.usd[0] == pytest.approx(111.27e6, rel=0.001)
    assert conv.eur[0] == pytest.approx(104.03e6, rel=0.001)


def test_money_usd_stays_usd_and_eur_stays_eur() -> None:
    usd = money.convert(115e6, 120e6, "USD", date(2024, 6, 27))
    eur = money.convert(5.0, 7.0, "EUR", date(2024, 6, 27))
    assert usd is not None and eur is not None
    assert usd.usd == (115e6, 120e6)
    assert usd.eur[0] == pytest.approx(107.5e6, rel=0.001)
    assert eur.eur == (5.0, 7.0)
    assert eur.usd[0] == pytest.approx(5 * 1.0698, rel=0.001)


def test_money_returns_a_plain_tuple() -> None:
    conv = money.convert(1.0, 2.0, "GBP", date(2024, 6, 27))
    assert conv is not None
    usd, eur, rate_date, rate_note = conv
    assert usd[0] < usd[1] and eur[0] < eur[1] and rate_date == "2024-06-27" and rate_note


def test_money_weekend_uses_the_latest_earlier_rate() -> None:
    conv = money.convert(10.0, 10.0, "GBP", date(2024, 6, 30))  # a Sunday
    assert conv is not None
    assert conv.rate_date == "2024-06-28"
    assert conv.rate_note == (
        "no ECB rate for GBP on 2024-06-30; used 2024-06-28, the latest earlier one"
    )
    friday = money.convert(10.0, 10.0, "GBP", date(2024, 6, 28))
    assert friday is not None and conv.usd == friday.usd


def test_money_easter_walks_back_over_the_holidays() -> None:
    conv = money.convert(10.0, 10.0, "USD", date(2024, 4, 1))  # Easter Monday
    assert conv is not None and conv.rate_date == "2024-03-28"  # Maundy Thursday


def test_money_discontinued_series_uses_its_last_rate() -> None:
    conv = money.convert(1e9, 2e9, "RUB", datetime(2024, 6, 27, 12, 0))
    assert conv is not None
    assert conv.rate_date == "2022-03-01"
    assert conv.rate_note == (
        "no ECB rate for RUB on 2024-06-27; used 2022-03-01, the latest earlier one"
    )


def test_money_unknown_currency_is_none() -> None:
    assert money.convert(1.0, 1.0, "KPW", date(2024, 6, 27)) is None
    assert money.convert(1.0, 1.0, "XYZ", date(2024, 6, 27)) is None
    assert not money.supported("KPW")
    assert money.supported("KRW")


def test_money_before_the_series_begins_is_none() -> None:
    assert money.convert(1.0, 1.0, "RUB", date(2001, 1, 1)) is None  # RUB starts 2005-04-01
    assert money.convert(1.0, 1.0, "USD", date(1990, 1, 1)) is None


def test_money_converter_is_loaded_once() -> None:
    assert money.converter() is money.converter()
