"""Fast Arrow parsing paths must give the same answers as the slow ones."""
import pandas as pd

from cxtoolkit.io.parse import parse_datetime, parse_number


def _arrow_text(values):
    return pd.Series(values, dtype=pd.StringDtype("pyarrow", na_value=float("nan")))


def test_impossible_days_are_refused_in_both_formats():
    out, bad = parse_datetime(_arrow_text(["31/02/2024 09:00", "2024-02-30 10:00:00", "29/02/2024 10:00:00"]))
    assert bad.tolist() == [True, True, False]
    assert out.iloc[2] == pd.Timestamp("2024-02-29 10:00")


def test_two_digit_years_and_day_first():
    out, bad = parse_datetime(_arrow_text(["01/02/26 10:00:00", "05/03/2026 10:11:12", "31/12/2026 23:59"]))
    assert not bad.any()
    assert out.tolist() == [pd.Timestamp("2026-02-01 10:00"), pd.Timestamp("2026-03-05 10:11:12"),
                            pd.Timestamp("2026-12-31 23:59")]


def test_decimal_comma_column_fast_path_matches_rules():
    out, bad = parse_number(_arrow_text(["12,5", "1 234,5", "3", "-0,5", None, "1\u202f000"]))
    assert out.tolist()[:4] == [12.5, 1234.5, 3.0, -0.5] and out.iloc[5] == 1000.0
    assert pd.isna(out.iloc[4]) and not bad.any()
    out, bad = parse_number(_arrow_text(["12,5", "x", "1,234,5"]))
    assert out.iloc[0] == 12.5 and bad.tolist() == [False, True, True]


def test_arrow_strptime_stops_once_every_cell_is_parsed(monkeypatch):
    """The day-first formats are not tried on a column the first format read entirely
    (1M ISO timestamps: 0.59 s → 0.23 s); cells it left are still tried with the next one."""
    import pyarrow.compute as pc

    from cxtoolkit.io import parse as P

    calls = []
    real = pc.strptime

    def counting(*args, **kwargs):
        calls.append(kwargs.get("format"))
        return real(*args, **kwargs)

    monkeypatch.setattr(pc, "strptime", counting)
    monkeypatch.setattr(P, "_fixed_layouts", lambda t: None)   # else these cells never reach strptime
    iso = pd.Series(["2026-05-01 10:00:00", None, "2026-05-02 11:30:00"], dtype="str")
    out, bad = P.parse_datetime(iso)
    assert calls == ["%Y-%m-%d %H:%M:%S"] and not bad.any() and out.notna().sum() == 2
    calls.clear()
    mixed = pd.Series(["2026-05-01 10:00:00", "02/05/2026 11:30:00"], dtype="str")
    out, _ = P.parse_datetime(mixed)
    assert len(calls) > 1 and out.tolist() == [pd.Timestamp("2026-05-01 10:00"), pd.Timestamp("2026-05-02 11:30")]


def test_date_only_dd_mm_yyyy_with_dashes_is_day_first():
    """``22-04-2015`` was read as ``22-04`` with a UTC offset of -20:15 (nothing parsed)."""
    for dtype in ("str", object):
        v, bad = parse_datetime(pd.Series(["22-04-2015", "04-08-2015", None], dtype=dtype))
        assert [str(x.date()) for x in v[:2]] == ["2015-04-22", "2015-08-04"] and not bad.any()
    v, _ = parse_datetime(pd.Series(["22.04.2015", "2024-03-01T09:00-05:00"]), tz="Europe/Paris")
    assert [str(x) for x in v] == ["2015-04-22 00:00:00", "2024-03-01 15:00:00"]


def test_a_column_that_shows_month_first_is_read_month_first():
    v, bad = parse_datetime(pd.Series(["04/22/2015", "04/05/2015 10:30", "12-31-2015"], dtype="str"))
    assert [str(x) for x in v] == ["2015-04-22 00:00:00", "2015-04-05 10:30:00", "2015-12-31 00:00:00"]
    assert not bad.any()
    # a first part above 12 proves day-first: the month-first cell stays unread
    v, bad = parse_datetime(pd.Series(["22/04/2015", "04/05/2015", "04/23/2015"], dtype="str"))
    assert [str(x.date()) for x in v[:2]] == ["2015-04-22", "2015-05-04"] and bad.tolist() == [False, False, True]


def test_cells_to_text_fast_paths_equal_cell_by_cell():
    import datetime as dt

    from cxtoolkit.io.parse import cell_to_str, cells_to_text

    cols = [["a", None, "b", float("nan")], [dt.datetime(2024, 3, 1, 9, 30), None, pd.Timestamp("2024-03-02 10:00:01")],
            [None, None], [1.0, 2.5, "x", dt.time(0, 1, 5), dt.timedelta(hours=25), True, dt.date(2024, 1, 2)],
            [pd.Timestamp("2024-03-01", tz="Europe/Paris"), pd.Timestamp("2024-03-01", tz="UTC")]]
    for values in cols:
        s = pd.Series(values, dtype=object)
        assert cells_to_text(s).tolist() == [cell_to_str(v) for v in values]
