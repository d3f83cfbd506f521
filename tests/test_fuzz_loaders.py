"""Property-based fuzzing of the loaders: whatever a client sends, ``load_table`` either
returns with ``read == accepted + rejected`` (every rejected row explained in the rejects,
no row invented) or raises :class:`InputError` — never any other exception.

Three generators: random bytes, messy CSV text (random separators, encodings, quotes,
huge fields, aliases in French and English, blank and title lines) and random Excel cells.
Each test counts the examples it ran and checks that hypothesis really ran them.
"""
from __future__ import annotations

import uuid
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis import given

from cxtoolkit.errors import InputError
from cxtoolkit.io import load_table
from cxtoolkit.io.loader import UNREADABLE
from cxtoolkit.schemas import SCHEMAS

NOW = pd.Timestamp("2027-01-01")
TABLES = ("contacts", "responses", "sends", "evaluations", "agents")
FUZZ = settings(max_examples=250, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
MIN_RUN = 200           # examples each test must really have run


def check(path: Path, table: str) -> str:
    """Load ``path`` as ``table``; assert the no-row-lost contract. Returns the outcome kind."""
    try:
        accepted, rejects, counts = load_table(path, table, now=NOW)
    except InputError as exc:
        msg = str(exc)
        assert msg and "\n" not in msg.strip(), f"InputError must be one line: {msg!r}"
        # the loader's safety net turned a reader bug into a clean error: counted, reported
        return "safety_net" if UNREADABLE in msg else "input_error"
    assert counts["read"] == counts["accepted"] + counts["rejected"]
    assert len(accepted) == counts["accepted"]
    assert counts["accepted"] >= 0 and counts["rejected"] >= 0
    if counts["rejected"]:
        # each rejected row has at least one reason, and no reason names a row never read
        assert rejects["row"].nunique() == counts["rejected"], rejects
    else:
        assert rejects.empty
    return "loaded"


# --------------------------------------------------------------------------- random bytes
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_random_bytes_never_crash(suffix, tmp_path):
    d, seen = tmp_path, {"n": 0, "loaded": 0}

    @FUZZ
    @given(data=st.binary(max_size=3000), table=st.sampled_from(TABLES))
    def run(data, table):
        p = d / f"f{uuid.uuid4().hex[:6]}{suffix}"
        p.write_bytes(data)
        seen["n"] += 1
        kind = check(p, table)
        seen[kind] = seen.get(kind, 0) + 1

    run()
    print(f"random bytes {suffix}: {seen}")
    assert seen["n"] >= MIN_RUN


# ------------------------------------------------------------------------ messy CSV text
def _headers(table: str) -> list[str]:
    out = []
    for c in SCHEMAS[table].columns:
        out.append(c.name)
        out.extend(c.aliases[:3])
    return out


CELLS = st.one_of(
    st.sampled_from(["", " ", "oui", "non", "tel", "Téléphone", "mail", "chat", "fax", "NULL", "N/A", "-",
                     "01/03/2026 09:00", "2026-03-01T09:00:00", "31/02/2026", "2026-13-01", "12,5", "1 234,5",
                     "-3", "1e308", "nan", "inf", "=HYPERLINK(\"x\")", "+33 6 12 34 56 78", "jo@x.fr", "0",
                     "9", "10", "11", "7", "hot", "cold", "😀", "\u00a0", "é", "\"", "'", ";", ",", "\t", "|",
                     "a\nb", "\r", "K0001"]),
    st.text(max_size=30),
    st.integers(-10**6, 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(1, 200_000).map(lambda n: "x" * n),          # huge fields (up to 200 kB)
)


@st.composite
def messy_csv(draw):
    table = draw(st.sampled_from(TABLES))
    names = draw(st.lists(st.sampled_from(_headers(table)), min_size=1, max_size=9))
    if draw(st.booleans()):  # mostly the required columns, so validation is reached
        names = [c.name for c in SCHEMAS[table].columns if c.required] + names[:3]
    sep = draw(st.sampled_from([";", ",", "\t", "|", " ", ":"]))
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=len(names) + 2), max_size=12))
    quote_all = draw(st.booleans())

    def fmt(cell: str) -> str:
        if quote_all or any(ch in cell for ch in (sep, '"', "\n", "\r")):
            return '"' + cell.replace('"', draw(st.sampled_from(['""', '"', '\\"']))) + '"'
        return cell

    lines = [sep.join(fmt(h) for h in names)] + [sep.join(fmt(c) for c in r) for r in rows]
    prefix = draw(st.lists(st.sampled_from(["", "Rapport du 01/03/2026", sep * 3, "Export;;;"]), max_size=3))
    eol = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = eol.join(prefix + lines) + draw(st.sampled_from(["", eol, eol * 3]))
    enc = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]))
    return table, text.encode(enc, errors="replace")


def test_messy_csv_text_never_crash(tmp_path):
    d, seen = tmp_path, {"n": 0}

    @FUZZ
    @given(case=messy_csv())
    def run(case):
        table, data = case
        p = d / f"f{uuid.uuid4().hex[:6]}.csv"
        p.write_bytes(data)
        seen["n"] += 1
        kind = check(p, table)
        seen[kind] = seen.get(kind, 0) + 1

    run()
    print(f"messy CSV: {seen}")
    assert seen["n"] >= MIN_RUN
    assert seen.get("loaded", 0) > 0 and seen.get("input_error", 0) > 0  # both paths exercised


# ----------------------------------------------------------------------- random Excel cells
def _printable(s: str) -> str:
    """Text an Excel cell can hold (openpyxl refuses control characters)."""
    return "".join(ch for ch in s if ch >= " " or ch == "\n")


EXCEL_CELLS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**9, 10**9), st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=pd.Timestamp("1900-03-01").to_pydatetime(),
                 max_value=pd.Timestamp("2100-01-01").to_pydatetime()),
    st.text(max_size=40).map(_printable),
    st.sampled_from(["oui", "non", "tel", "mail", "=1+1", "01/03/2026 09:00", "12,5", "hot", "N/A"]),
)


@st.composite
def excel_sheet(draw):
    table = draw(st.sampled_from(TABLES))
    names = [c.name for c in SCHEMAS[table].columns if c.required]
    names += draw(st.lists(st.sampled_from(_headers(table)), max_size=4))
    if draw(st.integers(0, 4)) == 0:
        names = draw(st.lists(st.text(max_size=10).map(_printable), min_size=1, max_size=5))
    title_rows = draw(st.integers(0, 2))
    rows = draw(st.lists(st.lists(EXCEL_CELLS, max_size=len(names) + 1), max_size=10))
    return table, names, title_rows, rows


def test_random_excel_cells_never_crash(tmp_path):
    from openpyxl import Workbook

    d, seen = tmp_path, {"n": 0}

    @FUZZ
    @given(case=excel_sheet())
    def run(case):
        table, names, title_rows, rows = case
        wb = Workbook()
        ws = wb.active
        for i in range(title_rows):
            ws.append([f"Export {i}"])
        ws.append(names)
        for r in rows:
            ws.append(r)
        p = d / f"f{uuid.uuid4().hex[:6]}.xlsx"
        wb.save(p)
        seen["n"] += 1
        kind = check(p, table)
        seen[kind] = seen.get(kind, 0) + 1

    run()
    print(f"random Excel: {seen}")
    assert seen["n"] >= MIN_RUN
    assert seen.get("loaded", 0) > 0
