"""Money amounts in USD and EUR at the ECB reference rate of the publication day.

Outlets report one sum in different currencies ("£88 million" in a British paper, "$115
million" in an American one); comparing them needs one scale, and the honest scale is the
rate of the day the article was published, not today's. The rates are the European Central
Bank's daily reference rates shipped with `currencyconverter` (offline, no network).

The converter is loaded once per process, lazily (a fraction of a second, a few MB), and
*without* its interpolation fallback: on a weekend or a bank holiday the ECB publishes no
rate, and an interpolated one hides which day's rate was used. Here the nearest earlier
published rate is taken instead and the note says so (the same value `last_known` would
give, but with the date known). Series the ECB stopped (RUB after 2022-03-01) are handled
the same way: the latest earlier rate, stated plainly, so a reader can judge it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from currency_converter import CurrencyConverter, RateNotFoundError

# ECB gaps are weekends and holidays (at most ~5 days, around Easter and Christmas); within a
# series' bounds a longer walk means a hole in the data, which is not papered over.
_MAX_WALK_BACK_DAYS = 14


class Conversion(NamedTuple):
    """A (low, high) amount in USD and EUR, and which ECB rate made it."""

    usd: tuple[float, float]
    eur: tuple[float, float]
    rate_date: str  # ISO date of the ECB reference rate used
    rate_note: str  # "ECB rate of 2024-06-27", or the fallback taken and why


@lru_cache(maxsize=1)
def converter() -> CurrencyConverter:
    """The ECB rate table, loaded once per process on first use.

    No interpolation fallback on purpose: gaps stay visible, so `convert` can say which
    day's rate it used (see the module docstring).
    """
    return CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)


def supported(currency: str) -> bool:
    """Whether the ECB table has this ISO 4217 code (KPW, UAH and many others it has not)."""
    return currency in converter().currencies


def convert(
    amount_low: float, amount_high: float, currency: str, on: date | datetime
) -> Conversion | None:
    """`amount_low`..`amount_high` of `currency` in USD and EUR at the ECB rate of day `on`.

    When the ECB has no rate for that day (weekend, holiday, discontinued series), the
    latest earlier published rate is used and `rate_note` says so. None when the currency
    is not in the ECB table, or the date is before its series begins (no earlier rate exists;
    a later one would be a guess about the future of that day).
    """
    cc = converter()
    if currency not in cc.currencies:
        return None
    day = on.date() if isinstance(on, datetime) else on
    used = _rate_day(cc, currency, day)
    if used is None:
        return None
    usd = (_to(cc, amount_low, currency, "USD", used), _to(cc, amount_high, currency, "USD", used))
    eur = (_to(cc, amount_low, currency, "EUR", used), _to(cc, amount_high, currency, "EUR", used))
    if used == day:
        note = f"ECB rate of {used.isoformat()}"
    else:
        note = (
            f"no ECB rate for {currency} on {day.isoformat()}; used {used.isoformat()}, "
            "the latest earlier one"
        )
    return Conversion(usd=usd, eur=eur, rate_date=used.isoformat(), rate_note=note)


def _to(cc: CurrencyConverter, amount: float, currency: str, to: str, day: date) -> float:
    if currency == to:
        return float(amount)
    return float(cc.convert(amount, currency, to, date=day))


def _rate_day(cc: CurrencyConverter, currency: str, day: date) -> date | None:
    """The latest day <= `day` on which both `currency` and USD have an ECB rate.

    USD is the other leg of every conversion (EUR is the reference and always 1), so both
    must be published that day. Uses only the public `bounds` and `convert`.
    """
    last = min(cc.bounds[c].last_date for c in _legs(currency))
    first = max(cc.bounds[c].first_date for c in _legs(currency))
    probe = min(day, last)
    stop = max(first, probe - timedelta(days=_MAX_WALK_BACK_DAYS))
    while probe >= stop:
        try:
            for c in _legs(currency):
                cc.convert(1.0, c, "EUR", date=probe)
        except RateNotFoundError:
            probe -= timedelta(days=1)
            continue
        return probe
    return None


def _legs(currency: str) -> tuple[str, ...]:
    """The currencies whose ECB rates a conversion of `currency` needs (EUR is the base)."""
    return tuple(c for c in {currency, "USD"} if c != "EUR")
