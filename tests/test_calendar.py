"""Business hours [start, end) per country, closed days, public holidays."""
import numpy as np
import pandas as pd

from cxtoolkit.calendar import country_codes, holiday_dates, in_business_hours, is_public_holiday
from cxtoolkit.config import ClientConfig

CFG = ClientConfig(
    client="t", country="FR",
    business_hours={"mon": ["09:00", "18:00"], "tue": ["09:00", "18:00"], "sat": ["09:00", "24:00"]},
    business_hours_by_country={"GB": {"tue": ["08:00", "20:00"]}})


def t(*values):
    return pd.Series(pd.to_datetime(list(values), format="ISO8601"))


def test_start_inclusive_end_exclusive():
    got = in_business_hours(t("2026-05-05 08:59:59", "2026-05-05 09:00", "2026-05-05 17:59:59.9",
                              "2026-05-05 18:00"), CFG)
    assert got.tolist() == [False, True, True, False]


def test_day_not_listed_is_closed_and_24h_end():
    # Wed 2026-05-06 not listed; Sat 2026-05-09 open until midnight
    got = in_business_hours(t("2026-05-06 10:00", "2026-05-09 23:59:59", "2026-05-10 00:00"), CFG)
    assert got.tolist() == [False, True, False]


def test_country_override_and_holidays():
    times = t("2026-05-05 19:30", "2026-05-05 19:30", "2026-05-04 10:00", "2026-05-04 10:00")
    got = in_business_hours(times, CFG, pd.Series(["GB", "FR", "GB", "fr"]))
    # GB open until 20:00 on Tue; FR closed at 18:00; Mon 4 May: GB bank holiday, and GB has
    # no Monday hours anyway; FR Monday (lower-case code) open
    assert got.tolist() == [True, False, False, True]
    hol = is_public_holiday(t("2026-05-01", "2026-05-01", "2026-05-04"), CFG, pd.Series(["FR", "GB", "GB"]))
    assert hol.tolist() == [True, False, True]


def test_unknown_country_has_no_holidays_and_default_hours():
    assert holiday_dates("XX", 2026, 2026) == ()
    assert in_business_hours(t("2026-05-05 10:00"), CFG, pd.Series(["XX"])).tolist() == [True]


def test_country_codes_accepts_categories_and_missing():
    codes, names = country_codes(pd.Series(["GB", None, "ES"], dtype="category"), 3, "fr")
    assert [names[c] for c in codes] == ["GB", "FR", "ES"]


def test_holiday_lookup_over_several_years():
    times = t("2025-12-25 10:00", "2026-07-14 10:00", "2027-01-01 10:00", "2026-07-15 10:00")
    assert is_public_holiday(times, CFG).tolist() == [True, True, True, False]
    assert in_business_hours(pd.Series(pd.to_datetime([])), CFG).shape == (0,)
    assert isinstance(in_business_hours(times, CFG), np.ndarray)


def test_holiday_dates_same_as_the_holidays_package_without_importing_every_country():
    """``holiday_dates`` loads only the client's countries' modules (``holidays.countries``
    imports all ~250 of them) and gives what ``holidays.country_holidays`` gives."""
    import subprocess
    import sys

    import holidays

    for code in ("FR", "GB", "UK", "GBR", "ES", "BE", "DE", "US", "MA", "XX"):
        try:
            expected = holidays.country_holidays(code, years=range(2025, 2028))
        except NotImplementedError:
            expected = {}
        assert holiday_dates(code, 2025, 2027) == tuple(sorted(np.datetime64(d, "D") for d in expected)), code
    code = ("import sys; from cxtoolkit.calendar import holiday_dates; holiday_dates('FR', 2026, 2026); "
            "print('holidays.countries' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
