"""The fast paths of CSV ingest give what the general paths give: same accepted rows, same
rejects (file, row, column, value, reason), same blanked cells and warnings.

Fast paths: pyarrow's CSV reader (vs pandas'), fixed-width date-times read from their bytes
(``parse._fixed_layouts``, vs Arrow's strptime and pandas' formats), decimal commas by a plain
replace (``parse._decimal_commas``, vs the regex rewrite), unsigned decimals found from their
bytes (``parse._decimal_cells``, vs Arrow's cast and regexes on the whole column), numbered ids
checked as integers (``validate._id_numbers``, vs hashing the text), the accepted rows kept
column by column (``validate.rows_kept``, vs the frame's ``.loc``), booleans spread from their
few distinct values (vs parsed cell by cell).
"""
from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxtoolkit.io import load_table
from cxtoolkit.io.loader import load_table_detailed

parse = importlib.import_module("cxtoolkit.io.parse")
validate = importlib.import_module("cxtoolkit.io.validate")
readers = importlib.import_module("cxtoolkit.io.readers")

NOW = pd.Timestamp("2030-01-01")


@pytest.fixture
def general(monkeypatch):
    """Switch every fast path off (the row-by-row / general path)."""
    def off():
        monkeypatch.setattr(parse, "_fixed_layouts", lambda t: None)
        monkeypatch.setattr(parse, "_decimal_commas", lambda arr: None)
        monkeypatch.setattr(parse, "_decimal_cells", lambda arr: None)
        monkeypatch.setattr(validate, "rows_kept", lambda cols, keep: pd.DataFrame(cols).loc[keep].reset_index(drop=True))
        monkeypatch.setattr(validate, "_id_numbers", lambda arr: None)
        monkeypatch.setattr(readers, "_read_csv_fast", lambda *a, **k: None)
    return off


def _without(name: str, run):
    """``run()`` with the fast path ``parse.<name>`` switched off (it answers None: the general path)."""
    saved = getattr(parse, name)
    setattr(parse, name, lambda *a, **k: None)
    try:
        return run()
    finally:
        setattr(parse, name, saved)


# --- cells ------------------------------------------------------------------------------

def _two(lo: int, hi: int):
    return st.integers(lo, hi).map(lambda v: f"{v:02d}")


_year = st.one_of(st.integers(1990, 2035), st.sampled_from([999, 1000, 1699, 1700, 1900, 2000, 2100, 2200, 2201,
                                                             2262, 2263, 9999])).map(lambda v: f"{v:04d}")
_time = st.tuples(_two(0, 25), _two(0, 61), _two(0, 61))
_date_cell = st.one_of(
    st.builds(lambda y, m, d, t, sep: f"{y}-{m}-{d}{sep}{t[0]}:{t[1]}:{t[2]}", _year, _two(0, 13), _two(0, 32),
              _time, st.sampled_from([" ", "T"])),
    st.builds(lambda y, m, d, t: f"{y}-{m}-{d} {t[0]}:{t[1]}", _year, _two(0, 13), _two(0, 32), _time),
    st.builds(lambda y, m, d: f"{y}-{m}-{d}", _year, _two(0, 13), _two(0, 32)),
    st.builds(lambda y, m, d, t, sep: f"{d}{sep}{m}{sep}{y} {t[0]}:{t[1]}:{t[2]}", _year, _two(0, 13), _two(0, 32),
              _time, st.sampled_from("/-.")),
    st.builds(lambda y, m, d, sep: f"{d}{sep}{m}{sep}{y}", _year, _two(0, 13), _two(0, 32), st.sampled_from("/-.")),
    st.sampled_from(["", "  ", "2024-3-5", "5/3/24", "2024-03-01T09:00Z", "2024-03-01 09:00:00+01:00",
                     "2024-03-01 09:00:00.250", " 01/03/2024 ", "29/02/2023", "29/02/2024", "04/22/2015",
                     "2024/03/01", "hier", "2024-03-01x", "0x/03/2024", "31-04-2024 10:00", "2024-02-30"]),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.lists(_date_cell, min_size=1, max_size=30), date_only=st.booleans())
def test_fixed_layouts_same_as_general_path(cells, date_only):
    s = pd.Series(cells, dtype="str")
    fast, fast_bad = parse.parse_datetime(s, date_only=date_only, tz="Europe/Paris")
    ref, ref_bad = _without("_fixed_layouts", lambda: parse.parse_datetime(s, date_only=date_only, tz="Europe/Paris"))
    pd.testing.assert_series_equal(fast, ref)
    assert fast_bad.tolist() == ref_bad.tolist()


def test_fixed_layouts_known_answers():
    cells = ["2024-02-29 23:59:59", "2023-02-29 10:00:00", "01/03/2024 09:30", "31.12.1999", "2024-01-01T00:00",
             "24:00:00", "2024-01-01 24:00:00", "2024-01-01 10:00:60", "1699-12-31", "2024-1-01"]
    got = parse._fixed_layouts(pd.Series(cells, dtype="str"))
    assert [str(x) for x in got] == ["2024-02-29 23:59:59", "NaT", "2024-03-01 09:30:00", "1999-12-31 00:00:00",
                                     "2024-01-01 00:00:00", "NaT", "NaT", "NaT", "NaT", "NaT"]


_number_cell = st.one_of(
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: repr(round(v, 3))),
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: repr(round(v, 3)).replace(".", ",")),
    st.integers(-10_000, 10_000).map(str),
    st.sampled_from(["", "12,5", "-,5", "+3,25", "5,", ",", "1,2,3", "1 234,5", "1\u00a0234", "12.5", "abc",
                     "1e5", "inf", "nan", "1.234,5", "--1,5", "١٢,٥", "12,5 ", "0,0"]),
)


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(_number_cell, min_size=1, max_size=30), comma=st.sampled_from([None, "decimal"]))
def test_decimal_commas_same_as_regex_path(cells, comma):
    s = pd.Series(cells, dtype="str")
    fast, fast_bad = parse.parse_duration(s, comma)
    ref, ref_bad = _without("_decimal_commas", lambda: parse.parse_duration(s, comma))
    pd.testing.assert_series_equal(fast, ref)
    assert fast_bad.tolist() == ref_bad.tolist()


_id = st.one_of(st.integers(0, 10 ** 20).map(str), st.integers(0, 999).map(lambda v: f"c{v}"),
                st.integers(0, 99).map(lambda v: f"c{v:03d}"), st.sampled_from(["c", "d1", "c-1", "c+1", "c 1", "0"]))


@settings(max_examples=300, deadline=None)
@given(ids=st.lists(_id, min_size=1, max_size=40))
def test_numbered_ids_equal_exactly_when_text_is(ids):
    import pyarrow as pa

    numbers = validate._id_numbers(pa.array(ids, type=pa.large_string()))
    if numbers is not None:
        assert len(set(zip(ids, numbers.tolist()))) == len(set(ids)) == len(set(numbers.tolist()))


# --- whole files ------------------------------------------------------------------------

CANON = (
    "contact_id,channel,received_at,answered,wait_s,talk_s,hold_s,wrap_s,agent_id,queue\n"
    "c1,phone,2024-03-01 09:00:00,true,12.5,300,10,20,a1,sales\n"
    "c2,phone,2024-02-30 09:00:00,true,12,300,10,20,a1,sales\n"          # impossible date
    "c3,email,2024-03-01 09:05:00,false,,,,,a2,support\n"                 # empty optional cells
    "c4,phone,01/03/2024 10:00,true,abc,05:30,0,0,a2,sales\n"             # bad wait_s, talk mm:ss
    "c5,fax,2024-03-01 11:00:00,true,3,1:02:03,x,0,a3,sales\n"            # unknown channel, bad hold
    "c2,phone,2024-03-01 12:00:00,true,4,60,0,0,a3,sales\n"               # duplicate id
    "c7,chat,2024-03-01T13:00:00,maybe,5,60,0,0,a3,sales\n"               # bad boolean
    "c8,phone,2024-03-01 25:00:00,true,6,60,0,0,a3,sales\n"               # hour 25
    "c9,phone,2031-03-01 09:00:00,true,6,60,0,0,a3,sales\n"               # in the future
    "c10,phone,2024-03-01 09:00:00+01:00,true,7,99999999,0,0,a3,sales\n"  # offset, absurd talk
    "c11,phone,,true,7,60,0,0,a3,sales\n"                                 # missing date
    "c12,phone,2024-03-01 09:00:00,true,-3,60,0,0,a3,sales\n"             # negative wait
)

FRENCH = (
    "N° appel;Canal;Date d'appel;Décroché;Attente (s);Durée de communication;Mise en attente;Post-appel;Agent\n"
    "1;tel;01/03/2024 09:00:00;oui;12,5;05:30;0;10;Zoé\n"
    "2;tel;31/04/2024 09:00:00;oui;1 234,5;1:02:03;0;10;Zoé\n"            # 31 April; thousands with a space
    "3;mail;01/03/2024 09:10;non;;;;;Zoé\n"
    "4;tel;01/03/2024;oui;7,;00:90;0;10;Zoé\n"                            # '7,' and 00:90 are no numbers
    "5;tel;02.03.2024 10:00:00;oui;8;75,5;x;10;Zoé\n"
    "5;tel;02-03-2024 10:00;oui;8;60;0;10;Zoé\n"                          # duplicate id
    "7;tel;01/03/2024 09:00:00;peut-être;8;60;0;10;Zoé\n"
    "8;tel;01/13/2024 09:00:00;oui;8;60;0;10;Zoé\n"                       # month 13
    "9;tel;1/3/2024 9:00;oui;8,25;60;0;10;Zoé\n"                          # short fields
    "10;tel;01/03/2024 09:00:00;oui;-1,5;60;0;10;Zoé\n"
)


def _files(tmp_path):
    out = {}
    p = tmp_path / "canon.csv"
    p.write_text(CANON, encoding="utf-8")
    out["canon"] = p
    p = tmp_path / "french.csv"
    p.write_bytes(FRENCH.encode("cp1252"))
    out["french_cp1252"] = p
    p = tmp_path / "mixed.csv"   # UTF-8 with one cp1252 line
    lines = FRENCH.splitlines(keepends=True)
    p.write_bytes("".join(lines[:4]).encode("utf-8") + lines[4].encode("cp1252") + "".join(lines[5:]).encode("utf-8"))
    out["mixed"] = p
    return out


def _load(path):
    acc, rej, counts, details = load_table_detailed(path, "contacts", now=NOW, tz="Europe/Paris")
    return acc, rej, counts, {k: v for k, v in details.items() if k != "preset"}


@pytest.mark.parametrize("which", ["canon", "french_cp1252", "mixed"])
def test_fast_and_general_paths_same_rows_and_rejects(tmp_path, general, which, monkeypatch):
    monkeypatch.delenv("CXTOOLKIT_CACHE_DIR", raising=False)
    path = _files(tmp_path)[which]
    acc, rej, counts, details = _load(path)
    assert counts["read"] == counts["accepted"] + counts["rejected"] == 10 + (which == "canon") * 2
    assert counts["rejected"] > 0 and details["blanked"] > 0
    general()
    acc2, rej2, counts2, details2 = _load(path)
    pd.testing.assert_frame_equal(acc, acc2)
    pd.testing.assert_frame_equal(rej, rej2)
    assert counts == counts2
    assert details == details2


def test_known_rejects_canonical_file(tmp_path, monkeypatch):
    monkeypatch.delenv("CXTOOLKIT_CACHE_DIR", raising=False)
    acc, rej, counts = load_table(_files(tmp_path)["canon"], "contacts", now=NOW)
    got = sorted(zip(rej["row"], rej["column"], rej["reason"]))
    assert (3, "received_at", "not a date") in got
    assert (5, "wait_s", "not a duration (seconds or hh:mm:ss)") in got
    assert (7, "contact_id", "duplicate contact_id (first at row 3)") in got
    assert (9, "received_at", "not a date") in got
    assert (10, "received_at", "date in the future") in got
    assert (12, "received_at", "missing value") in got
    assert (13, "wait_s", "below minimum 0") in got
    assert counts == {"file": str(_files(tmp_path)["canon"]), "read": 12, "accepted": len(acc),
                      "rejected": 12 - len(acc)}
    c1 = acc.set_index("contact_id").loc["c1"]
    assert c1["received_at"] == pd.Timestamp("2024-03-01 09:00:00") and c1["wait_s"] == 12.5


def test_big_clean_file_takes_the_fast_paths(tmp_path, monkeypatch):
    """A clean export of the usual shape never reaches strptime / the regex rewrite."""
    monkeypatch.delenv("CXTOOLKIT_CACHE_DIR", raising=False)
    n = 3000
    rng = np.random.default_rng(1)
    ts = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365 * 86400, n), unit="s")
    df = pd.DataFrame({"contact_id": [f"c{i}" for i in range(n)], "channel": "phone",
                       "received_at": ts.strftime("%d/%m/%Y %H:%M:%S"), "answered": "oui",
                       "wait_s": [f"{v:.1f}".replace(".", ",") for v in rng.exponential(30, n)]})
    path = tmp_path / "fr.csv"
    df.to_csv(path, sep=";", index=False)

    def boom(*a, **k):
        raise AssertionError("general path taken")
    monkeypatch.setattr(parse, "_arrow_strptime", boom)
    monkeypatch.setattr(parse.pd, "to_datetime", boom)
    acc, rej, counts = load_table(path, "contacts", now=NOW)
    assert counts["accepted"] == n and len(rej) == 0
    assert (acc["received_at"] == ts.floor("s").values).all()


def _export(n: int, french: bool, seed: int = 5) -> str:
    """An ``n``-row export with a bad cell of every kind in about 1 % of the rows."""
    rng = np.random.default_rng(seed)
    ts = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365 * 86400, n), unit="s")
    wait = rng.exponential(30, n).round(1).astype(str)
    df = pd.DataFrame({"contact_id": [f"c{i}" for i in range(n)], "channel": rng.choice(["phone", "email"], n),
                       "received_at": ts.strftime("%d/%m/%Y %H:%M:%S" if french else "%Y-%m-%d %H:%M:%S"),
                       "answered": rng.choice(["oui", "non"] if french else ["true", "false"], n),
                       "wait_s": np.char.replace(wait, ".", ",") if french else wait,
                       "talk_s": rng.integers(0, 900, n).astype(str), "hold_s": rng.integers(0, 60, n).astype(str),
                       "agent_id": rng.choice(["a1", "a2", "Zoé"], n)}).astype(object)
    for col, bad in (("received_at", "31/02/2024 10:00:00" if french else "2024-02-31 10:00:00"),
                     ("wait_s", "n/a"), ("answered", "peut-être"), ("talk_s", "1:75:00"), ("hold_s", "x"),
                     ("channel", "fax"), ("contact_id", "c7")):
        df.loc[rng.choice(n, n // 100, replace=False), col] = bad
    return df.to_csv(index=False, sep=";" if french else ",")


def _file(tmp_path, which: str):
    """The file ``which`` of :func:`_files`, or ``big`` / ``big_fr``: a 20k-row :func:`_export`."""
    if not which.startswith("big"):
        return _files(tmp_path)[which]
    path = tmp_path / f"{which}.csv"
    path.write_text(_export(20_000, which == "big_fr"), encoding="utf-8")
    return path


@pytest.mark.parametrize("which", ["canon", "french_cp1252", "mixed", "big", "big_fr"])
def test_columns_parsed_in_threads_same_as_one_after_the_other(tmp_path, which, monkeypatch):
    """Columns parsed in two threads give what they give one after the other (accepted frame,
    rejects, counts, blanked cells and warnings), and they do run in two threads."""
    monkeypatch.delenv("CXTOOLKIT_CACHE_DIR", raising=False)
    path = _file(tmp_path, which)
    import threading

    threads, parse_column = set(), validate.parse_column

    def recorded(*a, **k):
        threads.add(threading.get_ident())
        return parse_column(*a, **k)
    monkeypatch.setattr(validate, "parse_column", recorded)
    monkeypatch.setattr(validate, "THREADS", 1)
    acc, rej, counts, details = _load(path)
    assert len(threads) == 1 and counts["rejected"] > 0
    threads.clear()
    monkeypatch.setattr(validate, "THREADS", 2)
    monkeypatch.setattr(validate, "THREADS_MIN_ROWS", 0)
    acc2, rej2, counts2, details2 = _load(path)
    assert len(threads) == 2
    pd.testing.assert_frame_equal(acc, acc2)
    pd.testing.assert_frame_equal(rej, rej2)
    assert counts == counts2 and details == details2


@pytest.mark.parametrize("french", [False, True])
def test_bigger_export_fast_and_general_paths_same(tmp_path, general, french, monkeypatch):
    """20k rows with 1 % bad cells of every kind: every fast path on (threads too) and off
    give the same accepted frame, rejects, counts, blanked cells and warnings."""
    monkeypatch.delenv("CXTOOLKIT_CACHE_DIR", raising=False)
    path = tmp_path / "export.csv"
    path.write_text(_export(20_000, french), encoding="utf-8")
    monkeypatch.setattr(validate, "THREADS_MIN_ROWS", 0)
    acc, rej, counts, details = _load(path)
    assert counts["rejected"] > 0 and details["blanked"] > 0
    general()
    monkeypatch.setattr(validate, "THREADS", 1)
    acc2, rej2, counts2, details2 = _load(path)
    pd.testing.assert_frame_equal(acc, acc2)
    pd.testing.assert_frame_equal(rej, rej2)
    assert counts == counts2 and details == details2


_csv_line = st.one_of(
    st.builds(lambda i, d, w: f"c{i},phone,2024-03-{d:02d} 09:00:00,true,{w}", st.integers(0, 30), st.integers(0, 31),
              st.sampled_from(["12", "1.5", "x", ""])),
    st.sampled_from(["", "\r", ",,,,", " ", "\t"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=st.sampled_from(["", "Export du 01/03/2024\n", "Export\n\n", "\n"]),
       lines=st.lists(_csv_line, min_size=1, max_size=12), crlf=st.booleans())
def test_blank_lines_fast_and_general_paths_same(tmp_path_factory, title, lines, crlf):
    """Blank and separator-only lines anywhere (before the header too) in a file of several
    columns: pyarrow's reader (which reads each as a record of empty cells) and pandas' give
    the same rows, row numbers and rejects."""
    text = title + "contact_id,channel,received_at,answered,wait_s\n" + "\n".join(lines) + "\n"
    if crlf:
        text = text.replace("\n", "\r\n")
    path = tmp_path_factory.mktemp("blank") / "blank.csv"
    path.write_text(text, encoding="utf-8", newline="")

    def load():
        try:
            acc, rej, counts, details = load_table_detailed(path, "contacts", now=NOW)
        except Exception as exc:   # noqa: BLE001 - the same error either way
            return str(exc).replace(str(path), "P")
        return acc, rej, counts, {k: v for k, v in details.items() if k != "preset"}
    import os

    taken, saved, cache = [], readers._read_csv_fast, os.environ.pop("CXTOOLKIT_CACHE_DIR", None)
    readers._read_csv_fast = lambda *a, **k: taken.append(saved(*a, **k) is not None) or saved(*a, **k)
    try:
        fast = load()
        readers._read_csv_fast = lambda *a, **k: None
        ref = load()
    finally:
        readers._read_csv_fast = saved
        if cache is not None:
            os.environ["CXTOOLKIT_CACHE_DIR"] = cache
    if not any(ln in (" ", "\t") for ln in lines):   # (a line of one field: Arrow refuses the file)
        assert taken[:1] == [True]   # the fast path did read it
    if isinstance(ref, str):
        assert fast == ref
        return
    pd.testing.assert_frame_equal(fast[0], ref[0])
    pd.testing.assert_frame_equal(fast[1], ref[1])
    assert fast[2:] == ref[2:]


def test_year_out_of_range_rejects_the_cell_not_the_file(tmp_path, monkeypatch):
    """``2263-01-01`` (a typo) raised OutOfBoundsDatetime: the whole file was "could not be read"."""
    monkeypatch.delenv("CXTOOLKIT_CACHE_DIR", raising=False)
    path = tmp_path / "c.csv"
    path.write_text("contact_id;channel;received_at;answered;wait_s\n"
                    "c1;phone;2024-03-01 09:00:00;true;1\nc2;phone;2263-01-01;true;1\n"
                    "c3;phone;01/01/0999 10:00;true;1\nc4;phone;1677-01-01 10:00:00;true;1\n", encoding="utf-8")
    acc, rej, counts = load_table(path, "contacts", now=NOW)
    assert counts["accepted"] == 1
    assert rej[["row", "column", "reason"]].values.tolist() == [[3, "received_at", "not a date"],
                                                                  [4, "received_at", "not a date"],
                                                                  [5, "received_at", "not a date"]]


def test_cp1252_line_past_the_first_megabyte(tmp_path, monkeypatch):
    """Only the first MB is decoded before pyarrow reads the file: a cp1252 line further on
    is still found (pyarrow refuses the bytes, the file is decoded line by line)."""
    monkeypatch.delenv("CXTOOLKIT_CACHE_DIR", raising=False)
    n = 40_000
    body = "".join(f"c{i};phone;2024-03-01 09:00:00;oui;{i % 50};Zoé\n" for i in range(n))
    raw = ("contact_id;channel;received_at;answered;wait_s;agent_id\n" + body).encode("utf-8")
    assert len(raw) > readers.HEAD_BYTES
    raw += "c_last;phone;2024-03-01 09:00:00;oui;1;Hélène\n".encode("cp1252")
    path = tmp_path / "big.csv"
    path.write_bytes(raw)
    acc, rej, counts, details = load_table_detailed(path, "contacts", now=NOW)
    assert counts["read"] == n + 1 and counts["accepted"] == n + 1
    assert acc["agent_id"].iloc[-1] == "Hélène" and acc["agent_id"].iloc[0] == "Zoé"
    assert any(f"line {n + 2}" in w and "cp1252" in w for w in details["warnings"])


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(_number_cell, min_size=1, max_size=30), comma=st.sampled_from([None, "decimal"]),
       share=st.sampled_from([0.0, 0.01, 0.2, 1.0]))
def test_numbers_with_bad_cells_same_as_pandas(cells, comma, share):
    """A column with a few bad cells is read by Arrow but for those cells (pandas then), as if
    pandas had read the whole column; with many (``share``: more than ``REWRITE_SHARE``), Arrow's
    regex rewrite reads them the same way."""
    s = pd.Series(cells, dtype="str")
    saved = parse.REWRITE_SHARE
    parse.REWRITE_SHARE = share
    try:
        fast, fast_bad = parse.parse_number(s, comma)
    finally:
        parse.REWRITE_SHARE = saved
    ref, ref_bad = _without("_fast_float", lambda: parse.parse_number(s, comma))
    pd.testing.assert_series_equal(fast, ref)
    assert fast_bad.tolist() == ref_bad.tolist()


_clock_cell = st.one_of(
    st.builds(lambda h, m, sec, frac: f"{h}:{m}:{sec}{frac}", st.sampled_from(["0", "1", "00", "12", "123", "9" * 25]),
              st.sampled_from(["0", "5", "09", "59", "60", "7a"]), st.sampled_from(["0", "09", "59", "60", "5"]),
              st.sampled_from(["", ",5", ".25", ",", ".5.5"])),
    st.builds(lambda m, sec, frac: f"{m}:{sec}{frac}", st.sampled_from(["0", "02", "75", "1234"]),
              st.sampled_from(["0", "30", "59", "61"]), st.sampled_from(["", ",5", ".75"])),
    st.sampled_from(["", "12", "12,5", "1 234,5", "abc", "1:2:3:4", ":30", "1:", "١:٣٠", "1:٣٠:00", "-1:30",
                     "+1:30:00", "1 :30", "0:09:09", "n/a", "12.5"]),
)


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(_clock_cell, min_size=1, max_size=30), comma=st.sampled_from([None, "decimal"]))
def test_clock_durations_same_as_pandas(cells, comma):
    """Clock durations read by Arrow (cells with a colon not read as numbers first) give what
    pandas' regexes give."""
    s = pd.Series(cells, dtype="str")
    fast, fast_bad = parse.parse_duration(s, comma)
    saved = parse._with_colon, parse._clock_arrow
    parse._with_colon = parse._clock_arrow = lambda t: None
    try:
        ref, ref_bad = parse.parse_duration(s, comma)
    finally:
        parse._with_colon, parse._clock_arrow = saved
    pd.testing.assert_series_equal(fast, ref)
    assert fast_bad.tolist() == ref_bad.tolist()


def test_clock_duration_column_is_not_read_as_numbers(monkeypatch):
    """A column of ``h:mm:ss`` (a client export's talk time) is not read as numbers first nor by
    pandas' regexes (1M cells: 13 s → 0.2 s)."""
    cells = [f"{i % 3}:{i % 60:02d}:{i % 59:02d}" for i in range(5000)] + ["1:75:00", "12"]
    failed, sizes, to_numeric = _failing_casts(monkeypatch), [], pd.to_numeric
    monkeypatch.setattr(parse.pd, "to_numeric", lambda v, *a, **k: sizes.append(len(v)) or to_numeric(v, *a, **k))
    v, bad = parse.parse_duration(pd.Series(cells, dtype="str"))
    assert failed == [] and sizes == [] and bad.tolist() == [False] * 5000 + [True, False]
    assert v.tolist()[:3] == [0.0, 3661.0, 7322.0] and v.iloc[-1] == 12


def _failing_casts(monkeypatch) -> list[int]:
    """Record each Arrow cast that fails (it costs ~0.3 µs per cell it cannot read)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    failed, cast = [], pc.cast

    def counted(arr, *a, **k):
        try:
            return cast(arr, *a, **k)
        except pa.ArrowInvalid:
            failed.append(len(arr))
            raise
    monkeypatch.setattr(pc, "cast", counted)
    return failed


def test_decimal_comma_column_is_never_cast_as_it_is(monkeypatch):
    """A French column (every cell ``12,5``) is not first cast as it is: that cast fails on every
    cell (1M cells: 0.25-0.37 s); with a few bad cells, one cast fails, on those few."""
    rng = np.random.default_rng(3)
    cells = [f"{v:.1f}".replace(".", ",") for v in rng.exponential(30, 5000)]
    failed = _failing_casts(monkeypatch)
    v, bad = parse.parse_duration(pd.Series(cells, dtype="str"))
    assert failed == [] and not bad.any()
    assert v.tolist() == [float(c.replace(",", ".")) for c in cells]
    v, bad = parse.parse_duration(pd.Series(cells[:-3] + ["n/a", "1:75:00", "2,5,0"], dtype="str"))
    assert len(failed) == 1 and bad.tolist()[-3:] == [True, True, True] and bad.sum() == 3


def _unique_reference(keys: list[pd.Series], rows: np.ndarray) -> dict[int, str]:
    """Repeated keys the way pandas says it: duplicated rows and the row of the first one."""
    df = pd.DataFrame({f"k{i}": k for i, k in enumerate(keys)})
    dup = df.duplicated(keep="first") & df.notna().all(axis=1)
    first = pd.Series(rows).groupby([df[c] for c in df.columns], dropna=True).transform("first")
    return {int(rows[i]): f"first at row {int(first[i])})" for i in np.flatnonzero(dup.to_numpy())}


@settings(max_examples=300, deadline=None)
@given(a=st.lists(st.one_of(st.none(), _id), min_size=1, max_size=30), two=st.booleans(), seed=st.integers(0, 9),
       span=st.sampled_from([4, -10 ** 12]))
def test_duplicate_keys_same_as_pandas(a, two, seed, span):
    """(``span``: numbered ids counted in an array, or hashed)"""
    saved = validate.SPAN_PER_ROW
    validate.SPAN_PER_ROW = span
    try:
        _check_duplicate_keys(a, two, seed)
    finally:
        validate.SPAN_PER_ROW = saved


def test_repeated_numbered_ids_only_their_rows_are_hashed(monkeypatch):
    """100k numbered ids with 3 repeats: the repeats are found by counting, and only the rows
    of repeated numbers are hashed (1M ids: ~0.15 s → ~0.03 s)."""
    n = 100_000
    ids = [f"c{i}" for i in range(n)]
    ids[500], ids[70_000], ids[99_999] = "c3", "c3", "c42"
    sizes, dense = [], validate._dense
    monkeypatch.setattr(validate, "_dense", lambda c: sizes.append(len(c)) or dense(c))
    schema = type("S", (), {"unique": ["contact_id"]})()
    probs = validate._Problems(n)
    rows = np.arange(n, dtype=np.int64) + 2
    validate._unique(schema, {"contact_id": pd.Series(ids, dtype="str")}, probs, rows, pd.RangeIndex(n))
    assert max(sizes) == 5
    (m, col, reason), = probs.items
    assert np.flatnonzero(m).tolist() == [500, 70_000, 99_999]
    assert reason[m].tolist() == ["duplicate contact_id (first at row 5)", "duplicate contact_id (first at row 5)",
                                  "duplicate contact_id (first at row 44)"]


def _check_duplicate_keys(a, two, seed):
    n = len(a)
    k1 = pd.Series(a, dtype="str")
    keys = [k1] + ([pd.Series(np.random.default_rng(seed).choice(["x", "y", None], n), dtype="str")] if two else [])
    rows = np.arange(n, dtype=np.int64) + 2
    names = ["contact_id", "channel"][:len(keys)]
    schema = type("S", (), {"unique": names})()
    probs = validate._Problems(n)
    validate._unique(schema, dict(zip(names, keys)), probs, rows, pd.RangeIndex(n))
    got = {}
    for m, col, reason in probs.items:
        assert col == "contact_id"
        for i in np.flatnonzero(m):
            got[int(rows[i])] = reason.iloc[i].split("(", 1)[1]
    assert got == _unique_reference(keys, rows)


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(st.one_of(st.none(), st.text(alphabet=st.sampled_from(
    list("ab1 ,;\t\n") + ["\u00a0", "\u202f", "\u3000", "\u2028", "é", "\x1c", "\x85", "\u200b"]), max_size=6)),
    min_size=1, max_size=20))
def test_as_text_same_as_pandas_strip(cells):
    s = pd.Series(cells, dtype="str")
    t = s.str.strip()
    pd.testing.assert_series_equal(parse.as_text(s), t.mask(t == ""))


def _chunked(cells: list, cuts: list[int]) -> pd.Series:
    """``cells`` as a str Series of Arrow chunks split at ``cuts`` (as a Parquet file's row
    groups or the CSV reader's blocks come)."""
    import pyarrow as pa

    at = sorted({min(c, len(cells)) for c in cuts} | {0, len(cells)})
    chunks = [pa.array(cells[a:b], type=pa.large_string()) for a, b in zip(at, at[1:])]
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(chunks, type=pa.large_string())))


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(st.one_of(st.none(), st.text(alphabet=st.sampled_from(list("ab1 \t") + ["\u00a0", "é"]),
                                                   max_size=4)), min_size=1, max_size=20),
       cuts=st.lists(st.integers(0, 20), max_size=4))
def test_as_text_of_a_chunked_column_same_as_pandas_strip(cells, cuts):
    s = _chunked(cells, cuts)
    t = pd.Series(cells, dtype="str").str.strip()
    pd.testing.assert_series_equal(parse.as_text(s), t.mask(t == ""), check_dtype=False)


def test_a_chunked_text_column_needing_no_change_comes_back_as_it_came():
    """A Parquet file's ids in 8 chunks were copied into one chunk (1M contacts: 33 MB held
    beside the read ones while validating, peak RSS of ``kpis`` +38 MB)."""
    import pyarrow as pa

    s = _chunked([f"c{i}" for i in range(1000)], [100, 500, 900])
    before = pa.total_allocated_bytes()
    assert parse.as_text(s) is s and pa.total_allocated_bytes() == before
    changed = parse.as_text(_chunked(["a", " b", "", None], [2]))   # a change: made one chunk
    assert changed.tolist()[:2] == ["a", "b"] and changed.isna().tolist() == [False, False, True, True]


_decimal_cell = st.one_of(
    _number_cell,
    st.integers(0, 10 ** 22).map(str),
    st.tuples(st.integers(0, 10 ** 12), st.integers(0, 10 ** 9), st.sampled_from(".,")).map(
        lambda t: f"{t[0]}{t[2]}{t[1]:0{len(str(t[1])) + 2}d}"),
    st.sampled_from(["7.", ".5", "7,", ",5", "1.2.3", "1,2.3", "0012", "00,50", "1.", ".", ",", "12a", "a12",
                     "1 2", "+5", "-0", "0", "9" * 30 + ".5", "1e5", "١٢٣", "12,5", "12.5", "1,2,3", "5:00"]),
)


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(st.one_of(st.none(), _decimal_cell), min_size=1, max_size=40),
       comma=st.sampled_from([None, "decimal", "thousands"]), share=st.sampled_from([0.0, 0.01, 1.0]))
def test_decimal_cells_same_as_arrow_on_the_whole_column(cells, comma, share):
    """Unsigned decimals cast from their bytes, the other cells among themselves: the numbers
    and bad cells the whole-column path gives (and pandas' reading of the column)."""
    s = pd.Series(cells, dtype="str")
    saved = parse.REWRITE_SHARE
    parse.REWRITE_SHARE = share
    try:
        fast, fast_bad = parse.parse_duration(s, comma)
        ref, ref_bad = _without("_decimal_cells", lambda: parse.parse_duration(s, comma))
    finally:
        parse.REWRITE_SHARE = saved
    pd.testing.assert_series_equal(fast, ref)
    assert fast_bad.tolist() == ref_bad.tolist()
    num, num_bad = parse.parse_number(s, comma)
    pan, pan_bad = _without("_fast_float", lambda: parse.parse_number(s, comma))
    pd.testing.assert_series_equal(num, pan)
    assert num_bad.tolist() == pan_bad.tolist()


def test_decimal_cells_known_answers():
    import pyarrow as pa

    text, cells = parse._decimal_cells(pa.array(["549", "12,5", " 1", "1.", "3.25", "-1", None, "", "1,2,3", "0,05"]))
    assert cells.tolist() == [True, True, False, False, True, False, False, False, False, True]
    assert text.to_pylist() == ["549", "12.5", None, None, "3.25", None, None, None, None, "0.05"]


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 30), seed=st.integers(0, 99))
def test_rows_kept_same_as_frame_loc(n, seed):
    """The accepted rows kept column by column give the frame ``.loc`` gives (values, dtypes, index)."""
    rng = np.random.default_rng(seed)
    keep = rng.random(n) < 0.7
    cols = {"id": pd.Series([f"c{i}" if i % 5 else None for i in range(n)], dtype="str"),
            "channel": pd.Series(pd.Categorical(rng.choice(["phone", "email", None], n), categories=["phone", "email"])),
            "at": pd.Series(pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 10 ** 6, n), unit="s")),
            "answered": pd.Series(rng.random(n) < 0.5),
            "resolved": pd.Series(pd.array(rng.choice([True, False, None], n), dtype="boolean")),
            "wait_s": pd.Series(np.where(rng.random(n) < 0.2, np.nan, rng.random(n))),
            "raw": pd.Series(rng.choice(["x", "y"], n).astype(object))}
    pd.testing.assert_frame_equal(validate.rows_kept(cols, keep), pd.DataFrame(cols).loc[keep].reset_index(drop=True))


@settings(max_examples=100, deadline=None)
@given(words=st.lists(st.sampled_from(["oui", "non", "Oui ", "true", "0", "1.0", "peut-être", "", None, "N"]),
                      min_size=1, max_size=8), seed=st.integers(0, 99))
def test_booleans_from_few_values_same_as_cell_by_cell(words, seed):
    """A flag column of few distinct values (parsed once per value, spread as NumPy arrays) gives
    what parsing every cell gives: values, missing cells, bad cells."""
    cells = list(np.random.default_rng(seed).choice(np.array(words, dtype=object), 2000))
    s = pd.Series(cells, dtype="str")
    fast, fast_bad = parse.parse_bool(s)
    saved = parse.as_categorical
    parse.as_categorical = lambda x: x   # every cell parsed
    try:
        ref, ref_bad = parse.parse_bool(s)
    finally:
        parse.as_categorical = saved
    pd.testing.assert_series_equal(fast, ref)
    assert fast_bad.tolist() == ref_bad.tolist()


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(st.one_of(st.none(), _decimal_cell, st.sampled_from(["1,125", "2,340", "1,234,567", "1 125,5",
                                                                           "12.5", "1,125.5"])), min_size=1, max_size=30))
def test_comma_style_arrow_same_as_pandas(cells):
    """How a column uses the comma: Arrow's kernels on a pyarrow-backed column say what pandas'
    string methods say on the same cells in a Python-backed column."""
    arrow = pd.Series(cells, dtype="str")
    assert parse.arrow_array(arrow) is not None
    assert parse.comma_style(arrow) == parse.comma_style(pd.Series(cells, dtype=pd.StringDtype("python")))


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(st.one_of(st.none(), _decimal_cell, st.sampled_from(["1,125", "2,340", "1,234,567", "1 125,5",
                                                                           " 12.5", "1,125.5", "", "  "])),
                      min_size=1, max_size=10), seed=st.integers(0, 9))
def test_comma_style_from_few_distinct_values_same_as_every_cell(cells, seed):
    """A long column of few distinct values is answered from them: what every cell says
    (pandas' string methods on a Python-backed column)."""
    rows = np.random.default_rng(seed).permutation(np.resize(np.array(cells, dtype=object), 1000 * len(cells)))
    few = pd.Series(rows, dtype="str")
    assert parse.comma_style(few) == parse.comma_style(pd.Series(rows, dtype=pd.StringDtype("python")))


@pytest.mark.parametrize("french", [False, True])
def test_repeats_found_beside_the_parsing_same_as_after_it(tmp_path, french, monkeypatch):
    """The repeated ids looked for in the parsing threads give the rejects (rows, reasons, first
    rows) that looking for them after the checks gives."""
    monkeypatch.delenv("CXTOOLKIT_CACHE_DIR", raising=False)
    path = tmp_path / "export.csv"
    path.write_text(_export(20_000, french), encoding="utf-8")
    monkeypatch.setattr(validate, "THREADS_MIN_ROWS", 0)
    acc, rej, counts, details = _load(path)
    assert rej["reason"].str.startswith("duplicate contact_id").sum() > 100
    unique = validate._unique
    monkeypatch.setattr(validate, "_unique", lambda schema, out, probs, rows, idx, found=None:
                        unique(schema, out, probs, rows, idx))
    acc2, rej2, counts2, details2 = _load(path)
    pd.testing.assert_frame_equal(acc, acc2)
    pd.testing.assert_frame_equal(rej, rej2)
    assert counts == counts2 and details == details2


@pytest.mark.parametrize("which", ["canon", "french_cp1252", "mixed", "big", "big_fr"])
@pytest.mark.parametrize("period", [(None, None), ("2024-03-01", "2024-06-30")])
def test_load_without_frames_same_counts_rejects_and_warnings(tmp_path, which, period, monkeypatch):
    """``load(frames=False)`` (``cxtoolkit validate``: the accepted tables not built) gives the
    same counts (out of the period too), rejects, blanked cells, warnings and meta as a
    whole load; its tables have the accepted rows' number, no column but the time stamp
    needed by a period."""
    from cxtoolkit.config import ClientConfig
    from cxtoolkit.io import load

    monkeypatch.delenv("CXTOOLKIT_CACHE_DIR", raising=False)
    path = _file(tmp_path, which)
    cfg = ClientConfig(client="acme", data={"contacts": path.name}, folder=tmp_path)
    whole = load(cfg, now=NOW, start=period[0], end=period[1])
    lean = load(cfg, now=NOW, start=period[0], end=period[1], frames=False)
    assert whole.counts == lean.counts and whole.meta() == lean.meta() and whole.warnings == lean.warnings
    assert whole.counts["contacts"]["rejected"] > 0 and whole.details["contacts"]["blanked"] > 0
    assert period[0] is None or not which.startswith("big") or whole.counts["contacts"]["out_of_period"] > 0
    pd.testing.assert_frame_equal(whole.rejects, lean.rejects)
    pd.testing.assert_frame_equal(whole.blanked, lean.blanked)
    assert len(lean.contacts) == len(whole.contacts) > 0
    assert list(lean.contacts.columns) == ([] if period[0] is None else ["received_at"])
    if period[0] is not None:
        pd.testing.assert_series_equal(lean.contacts["received_at"], whole.contacts["received_at"])


def test_lean_validation_skips_only_columns_that_cannot_reject(monkeypatch):
    """``validate_detailed(columns=[])`` parses no free-text column that cannot reject a row
    (customer_id, agent_id, ...), still every checked one: a required text column
    (evaluations' criterion) left empty is rejected as in a whole validation."""
    from cxtoolkit.io.readers import RawTable
    from cxtoolkit.schemas import EVALUATIONS

    raw = RawTable(pd.DataFrame({"evaluation_id": ["e1", "e2", "e3"], "evaluated_at": ["01/03/2024"] * 3,
                                 "criterion": ["accueil", " ", "accueil"], "score": ["4", "5", "x"],
                                 "agent_id": ["a1", "a2", "a3"], "evaluator_id": ["q1", "q1", "q2"]}, dtype="str"),
                   np.array([2, 3, 4]), "qa.csv")
    parsed, parse_column = [], validate.parse_column
    monkeypatch.setattr(validate, "parse_column", lambda s, col, **k: parsed.append(col.name) or parse_column(s, col, **k))
    whole = validate.validate_detailed(raw, EVALUATIONS, now=NOW)
    assert {"agent_id", "evaluator_id", "criterion"} <= set(parsed)
    parsed.clear()
    lean = validate.validate_detailed(raw, EVALUATIONS, now=NOW, columns=[])
    assert sorted(parsed) == ["criterion", "evaluated_at", "evaluation_id", "score"]
    pd.testing.assert_frame_equal(whole.rejects, lean.rejects)
    assert sorted(zip(lean.rejects["row"], lean.rejects["column"], lean.rejects["reason"])) == [
        (3, "criterion", "missing value"), (4, "score", "not a number")]
    assert len(lean.accepted) == len(whole.accepted) == 1 and list(lean.accepted.columns) == []


def test_date_times_of_a_chunked_column_copied_into_one_chunk_once(monkeypatch):
    """The CSV reader's columns come in ~90 chunks (its 1 MB blocks): a date-time column is
    made one chunk once, not once per step (offsets, fixed layouts: 1M cells, 27 MB each)."""
    import pyarrow as pa

    copies, one_chunk = [], parse._one_chunk

    def counted(a):
        if isinstance(a, pa.ChunkedArray) and a.num_chunks > 1:
            copies.append(a.num_chunks)
        return one_chunk(a)
    monkeypatch.setattr(parse, "_one_chunk", counted)
    cells = [f"2024-03-{d:02d} 09:00:00" for d in range(1, 29)] + ["2024-02-31 10:00:00"]
    v, bad = parse.parse_datetime(_chunked(cells, [7, 15]))
    assert len(copies) == 1
    assert bad.tolist() == [False] * 28 + [True] and v.iloc[0] == pd.Timestamp("2024-03-01 09:00")


def _decimal_mask_by_running_sum(values: list) -> list[bool]:
    """The unsigned-decimal cells by an independent reading of each cell's text (the
    reference of :func:`parse._decimal_cells`' mask): digits, at most one ``.``/``,`` with a
    digit at both ends."""
    out = []
    for v in values:
        if v is None or v == "":
            out.append(False)
            continue
        raw = v.encode()
        seps = sum(b in b".," for b in raw)
        digits = sum(48 <= b <= 57 for b in raw)
        others = len(raw) - seps - digits
        out.append(others == 0 and (seps == 0 or (seps == 1 and 48 <= raw[0] <= 57 and 48 <= raw[-1] <= 57)))
    return out


_byte_cell = st.one_of(st.none(), st.text(alphabet="0123456789.,-e a", max_size=12),
                       st.integers(0, 600).map(lambda k: "1" + "." * k + "2"),    # > 255 separators: no wrap
                       st.integers(0, 600).map(lambda k: "9" * k + ",5"))


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(_byte_cell, min_size=1, max_size=40), start=st.integers(0, 5))
def test_decimal_cells_mask_same_as_reading_each_cell(cells, start):
    """The per-cell sums of byte classes (``np.add.reduceat`` over the cells' bytes) find the
    cells a plain reading of each cell finds: empty, missing, long cells (hundreds of
    separators), and an array that is a slice of another (offsets not starting at 0)."""
    import pyarrow as pa

    arr = pa.array(["x1,2"] * start + cells, type=pa.large_string()).slice(start)
    text, mask = parse._decimal_cells(arr)
    assert mask.tolist() == _decimal_mask_by_running_sum(cells)
    assert text.to_pylist() == [c.replace(",", ".") if ok else None for c, ok in zip(cells, mask.tolist())]


def test_decimal_cells_need_no_array_of_eight_bytes_per_byte():
    """The cells are found without an int64 array per byte of text (a running sum of 14-byte
    cells: 16 bytes of fresh memory per byte, ~100 MB for a 1M-cell column, ~25k page faults
    in ``cxtoolkit validate``)."""
    import tracemalloc

    import pyarrow as pa

    n, cell = 100_000, "123456789012.5"
    arr = pa.array([cell] * n, type=pa.large_string())
    tracemalloc.start()
    try:
        parse._decimal_cells(arr)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < n * (4 * len(cell) + 64), peak


_offset_cell = st.one_of(st.none(), st.sampled_from(["2024-03-01T09:00Z", "2024-03-01 09:00:00+01:00", "Z", "+", "",
                                                     "2024-03-01 10:00:00-0530", "01/03/2024 09:00", "x-0100",
                                                     "09:00+0100", "+01:00", "2024-03-01T09:00:00.5Z"]),
                         st.text(alphabet="0129:-+Z T", max_size=8))


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(_offset_cell, min_size=1, max_size=30))
def test_utc_offsets_found_from_the_bytes_as_by_the_pattern(cells):
    """The bytes looked at from each cell's end (a last ``Z``, a sign 5 or 6 bytes before it)
    let through every cell the offset pattern finds: the same text and offsets as the
    pattern alone (an object column, read without Arrow)."""
    fast_t, fast_off = parse.split_offsets(pd.Series(cells, dtype="str"))
    ref_t, ref_off = parse.split_offsets(pd.Series(cells, dtype=object))
    assert [None if pd.isna(v) else v for v in fast_t.tolist()] == [None if pd.isna(v) else v for v in ref_t.tolist()]
    assert (fast_off is None) == (ref_off is None)
    if fast_off is not None:
        assert fast_off.fillna(-999).tolist() == ref_off.fillna(-999).tolist()


def test_utc_offsets_look_at_the_bytes_without_an_array_per_look():
    """One array of positions moved back in place, not one 8-byte array per look and per
    clip (a 1M-cell column: ~30 MB of fresh memory, ~8k page faults in ``cxtoolkit validate``)."""
    import tracemalloc

    n = 100_000
    s = pd.Series(["2024-11-06 11:28:05"] * n, dtype="str")
    tracemalloc.start()
    try:
        assert parse.split_offsets(s)[1] is None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * n, peak / n
