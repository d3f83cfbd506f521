"""Business hours and public holidays: which contacts arrive while the centre is open.

Opening hours come from ``client.yml`` (``business_hours``, overridden per country by
``business_hours_by_country``): each listed day is open on ``[start, end)`` local time
(``end`` may be ``"24:00"``); a day that is not listed is closed. Public holidays come from
the `holidays` package, for the contact's ``country`` column when present (a missing
value falls back to the client's ``country``), else for the client's ``country``. A
country the `holidays` package does not know has no public holidays.

Everything is vectorised: the opening hours become a lookup array indexed by
``(country, weekday)`` holding start/end nanoseconds since midnight, and the holidays a
boolean array indexed by ``(country, day)``; one fancy-indexing step classifies millions of
contacts.

Examples
--------
>>> import pandas as pd
>>> from cxtoolkit.config import ClientConfig
>>> cfg = ClientConfig(client="acme", country="FR")
>>> t = pd.Series(pd.to_datetime(["2026-05-04 09:00", "2026-05-04 18:00", "2026-05-01 10:00"]))
>>> in_business_hours(t, cfg).tolist()    # 18:00 is the (excluded) end; 1 May is a holiday
[True, False, False]
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from cxtoolkit.config import DAYS, ClientConfig, parse_hhmm

NS_PER_MIN = 60 * 1_000_000_000
NS_PER_DAY = 24 * 60 * NS_PER_MIN

__all__ = [
    "NS_PER_DAY",
    "datetime_ns",
    "country_codes",
    "hours_lookup",
    "holiday_dates",
    "holiday_lookup",
    "in_business_hours",
    "is_public_holiday",
]


def datetime_ns(values: pd.Series | np.ndarray) -> np.ndarray:
    """Nanoseconds since the epoch (int64) of a datetime column, whatever its unit.

    >>> int(datetime_ns(pd.Series(pd.to_datetime(["1970-01-02"])))[0]) == NS_PER_DAY
    True
    """
    arr = np.asarray(values.to_numpy() if isinstance(values, pd.Series) else values)
    if arr.dtype.kind != "M":
        arr = pd.to_datetime(arr).to_numpy()
    return arr.astype("datetime64[ns]", copy=False).view("int64")


def country_codes(country: pd.Series | None, n: int, default: str) -> tuple[np.ndarray, list[str]]:
    """Integer code per row and the list of upper-case countries it indexes.

    Missing values (or no column) map to ``default``. Accepts category or string columns.

    >>> codes, names = country_codes(pd.Series(["fr", None, "GB"]), 3, "FR")
    >>> [names[c] for c in codes]
    ['FR', 'FR', 'GB']
    """
    default = default.upper()
    if country is None:
        return np.zeros(n, dtype=np.intp), [default]
    if isinstance(country.dtype, pd.CategoricalDtype):
        raw_codes = country.cat.codes.to_numpy()
        raw_uniques = list(country.cat.categories)
    else:
        raw_codes, raw_uniques = pd.factorize(country, use_na_sentinel=True)
    names = [default]
    remap = np.zeros(len(raw_uniques) + 1, dtype=np.intp)  # last slot: NA -> default
    for i, u in enumerate(raw_uniques):
        name = str(u).strip().upper() or default
        if name not in names:
            names.append(name)
        remap[i] = names.index(name)
    return remap[np.asarray(raw_codes)], names


def hours_lookup(cfg: ClientConfig, countries: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Arrays ``(start_ns, end_ns)`` of shape (len(countries), 7), weekday 0 = Monday.

    A closed day has start = end = 0, so no time of day falls inside it.

    >>> cfg = ClientConfig(client="acme")
    >>> s, e = hours_lookup(cfg, ["FR"])
    >>> int(s[0, 0] // NS_PER_MIN), int(e[0, 0] // NS_PER_MIN), int(e[0, 6])
    (540, 1080, 0)
    """
    start = np.zeros((len(countries), 7), dtype="int64")
    end = np.zeros((len(countries), 7), dtype="int64")
    for i, c in enumerate(countries):
        for day, (s, e) in cfg.hours_for(c).items():
            d = DAYS.index(day)
            start[i, d] = round(parse_hhmm(s) * 60) * NS_PER_MIN
            end[i, d] = round(parse_hhmm(e) * 60) * NS_PER_MIN
    return start, end


@lru_cache(maxsize=256)
def holiday_dates(country: str, first_year: int, last_year: int) -> tuple[np.datetime64, ...]:
    """Public holidays of ``country`` between two years (empty when the country is unknown).

    >>> np.datetime64("2026-05-01") in holiday_dates("FR", 2026, 2026)
    True
    >>> np.datetime64("2026-05-01") in holiday_dates("GB", 2026, 2026)
    False
    """
    years = range(first_year, last_year + 1)
    entity = _holiday_class(country.upper())
    if entity is not None:
        cal = entity(years=years)
    else:
        import holidays

        try:
            cal = holidays.country_holidays(country.upper(), years=years)
        except (NotImplementedError, KeyError, AttributeError):
            return ()
    return tuple(sorted(np.datetime64(d, "D") for d in cal.keys()))


def _holiday_class(code: str):
    """The `holidays` class of country ``code``, importing its module only (None: not found
    that way, ask ``holidays.country_holidays``).

    ``holidays.country_holidays`` imports ``holidays.countries``, whose ``__init__`` imports
    the ~250 countries: 0.15-0.2 s of every KPI command for the two or three countries of a
    client. The module is loaded from its file, under a private name (``sys.modules`` is
    left as it was).
    """
    try:
        import importlib.util

        import holidays
        from holidays.registry import COUNTRIES

        module = next((m for m, (_cls, *codes) in COUNTRIES.items() if code in codes), None)
        if module is None:
            return None
        path = Path(holidays.__file__).parent / "countries" / f"{module}.py"
        spec = importlib.util.spec_from_file_location(f"_cxtoolkit_holidays_{module}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return getattr(mod, COUNTRIES[module][0])
    except Exception:  # noqa: BLE001 - any change in the package's layout: the public way
        return None


def holiday_lookup(countries: list[str], day_min: int, day_max: int) -> np.ndarray:
    """Boolean array (len(countries), day_max - day_min + 1): is that day a public holiday."""
    ndays = max(day_max - day_min + 1, 1)
    table = np.zeros((len(countries), ndays), dtype=bool)
    y0 = int(str(np.datetime64(day_min, "D"))[:4])
    y1 = int(str(np.datetime64(day_max, "D"))[:4])
    for i, c in enumerate(countries):
        days = np.array(holiday_dates(c, y0, y1), dtype="datetime64[D]").view("int64") - day_min
        days = days[(days >= 0) & (days < ndays)]
        table[i, days] = True
    return table


def _parts(received_at: pd.Series, country: pd.Series | None, cfg: ClientConfig):
    ns = datetime_ns(received_at)
    day = ns // NS_PER_DAY
    tod = ns - day * NS_PER_DAY
    weekday = (day + 3) % 7  # 1970-01-01 was a Thursday
    codes, names = country_codes(country, len(ns), cfg.country)
    return ns, day, tod, weekday, codes, names


def is_public_holiday(received_at: pd.Series, cfg: ClientConfig,
                      country: pd.Series | None = None) -> np.ndarray:
    """Boolean array: the contact's date is a public holiday in its country."""
    _, day, _, _, codes, names = _parts(received_at, country, cfg)
    if len(day) == 0:
        return np.zeros(0, dtype=bool)
    dmin, dmax = int(day.min()), int(day.max())
    return holiday_lookup(names, dmin, dmax)[codes, day - dmin]


def in_business_hours(received_at: pd.Series, cfg: ClientConfig,
                      country: pd.Series | None = None) -> np.ndarray:
    """Boolean array: received on an open day, in ``[start, end)``, and not a public holiday
    (unless client.yml says ``open_on_public_holidays: true``: holidays then keep their
    weekday's hours).

    Parameters
    ----------
    received_at : datetime column (naive local time).
    cfg : the client's configuration (hours, per-country hours, default country).
    country : optional ISO alpha-2 column aligned with ``received_at``; missing values
        use ``cfg.country``.

    Examples
    --------
    >>> cfg = ClientConfig(client="acme", business_hours_by_country={"GB": {"tue": ["08:00", "20:00"]}})
    >>> t = pd.Series(pd.to_datetime(["2026-05-05 19:30", "2026-05-05 19:30"]))
    >>> in_business_hours(t, cfg, pd.Series(["GB", "FR"])).tolist()
    [True, False]
    >>> may_day = pd.Series(pd.to_datetime(["2026-05-01 10:00"]))
    >>> in_business_hours(may_day, cfg).tolist(), in_business_hours(
    ...     may_day, ClientConfig(client="acme", open_on_public_holidays=True)).tolist()
    ([False], [True])
    """
    _, day, tod, weekday, codes, names = _parts(received_at, country, cfg)
    if len(day) == 0:
        return np.zeros(0, dtype=bool)
    start, end = hours_lookup(cfg, names)
    open_ = (tod >= start[codes, weekday]) & (tod < end[codes, weekday])
    if cfg.open_on_public_holidays:
        return open_
    dmin, dmax = int(day.min()), int(day.max())
    hol = holiday_lookup(names, dmin, dmax)
    if hol.any():
        open_ &= ~hol[codes, day - dmin]
    return open_
