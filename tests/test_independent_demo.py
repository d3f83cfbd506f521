"""The demo client's audit figures against an independent computation from its raw files.

The demo data (cxtoolkit.datasets, as ``cxtoolkit demo`` writes it: a French contacts export
with bad rows planted, survey answers with out-of-range scores, sends, evaluations) is read
here with plain pandas and every headline figure recomputed from the written definitions
(kpi-definitions.md, roi-model.md, data-contract.md), not with cxtoolkit's functions. Then the
same figures are compared with what leadership sees: the KPI views of the audit, the
workbook's cells (openpyxl) and the deck's KPI table and business-case text (python-pptx).
"""
from __future__ import annotations

import io
import math
import re

import holidays
import numpy as np
import pandas as pd
import pytest
import yaml

from cxtoolkit.audit import collect
from cxtoolkit.audit.results import deck_results
from cxtoolkit.config import load_config

START, END = pd.Timestamp("2026-10-01"), pd.Timestamp("2026-11-01")
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
CHANNELS = {"phone", "email", "chat", "social", "messaging"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    from conftest import write_demo_client

    return write_demo_client(tmp_path_factory.mktemp("indep"), "demo", n_contacts=30_000, n_responses=6_000,
                             months=2)


# -- the independent side: raw files, spec definitions ---------------------------------

def raw_contacts(folder):
    """The demo's contacts export read by hand (';', decimal ',', oui/non, dd/mm/yyyy) and
    the contract's rejections: no received_at, unknown channel, negative wait, a repeated id."""
    c = pd.read_csv(folder / "contacts.csv", sep=";", encoding="utf-8-sig", dtype=str)
    c = c.rename(columns={"Date d'appel": "received_at", "Durée d'attente (s)": "wait_s", "Agent": "agent_id"})
    c["received_at"] = pd.to_datetime(c["received_at"], format="%d/%m/%Y %H:%M:%S", errors="coerce")
    for k in ("wait_s", "talk_s", "hold_s", "wrap_s"):
        c[k] = pd.to_numeric(c[k].str.replace(",", "."), errors="coerce")
    c["answered"] = c["answered"].map({"oui": True, "non": False})
    c["resolved"] = c["resolved"].map({"oui": True, "non": False})
    bad = c["received_at"].isna() | ~c["channel"].isin(CHANNELS) | (c["wait_s"] < 0)
    c = c[~bad]
    return c[~c["contact_id"].duplicated()].reset_index(drop=True)


def open_mask(c, spec):
    """In business hours: the contact's country's hours (else the client's), [start, end),
    not a public holiday of that country."""
    out = np.zeros(len(c), dtype=bool)
    minute = (c["received_at"].dt.hour * 60 + c["received_at"].dt.minute + c["received_at"].dt.second / 60).to_numpy()
    for country, part in c.groupby(c["country"].fillna(spec["country"])):
        hours = spec.get("business_hours_by_country", {}).get(country, spec["business_hours"])
        hol = holidays.country_holidays(country, years=sorted(part["received_at"].dt.year.unique()))
        for i in part.index:
            t = c.at[i, "received_at"]
            span = hours.get(DAYS[t.weekday()])
            if span is None or t.date() in hol:
                continue
            a, b = ([int(x) for x in s.split(":")] for s in span)
            out[i] = a[0] * 60 + a[1] <= minute[i] < b[0] * 60 + b[1]
    return out


def independent_contacts(allc, spec, start, end):
    c = allc[(allc["received_at"] >= start) & (allc["received_at"] < end)]
    out = {"contacts": len(c)}
    ph = c[c["channel"] == "phone"]
    is_open = open_mask(ph.reset_index(drop=True), spec)
    ih = ph[is_open]
    kpi = spec["kpi"]
    short = ~ih["answered"] & (ih["wait_s"] < kpi["short_abandon_s"])
    off = ih[~short]
    ans, ab = off[off["answered"]], off[~off["answered"]]
    out.update(inbound=len(ph), hno_calls=int((~is_open).sum()), hno_share=(~is_open).sum() / len(ph),
               short_abandons=int(short.sum()), offered=len(off), answered=len(ans), abandoned=len(ab),
               answer_rate=len(ans) / len(off), abandonment_rate=len(ab) / len(off), asa_s=ans["wait_s"].mean(),
               service_level=(ans["wait_s"] <= kpi["service_level_s"]).sum() / len(off),
               aht_s=ans[["talk_s", "hold_s", "wrap_s"]].fillna(0).sum(axis=1).mean())
    em = c[c["channel"] == "email"]
    ea = em[em["answered"]]
    out.update(email_received=len(em), email_response_h_median=(ea["wait_s"] / 3600).median(),
               email_response_h_mean=(ea["wait_s"] / 3600).mean(),
               email_within_24h=(ea["wait_s"] <= 24 * 3600).sum() / len(em),
               email_within_5h=(ea["wait_s"] <= 5 * 3600).sum() / len(em))
    ch = c[c["channel"] == "chat"]
    ca = ch[ch["answered"]]
    out.update(chat_received=len(ch), chat_first_response_s_mean=ca["wait_s"].mean(),
               chat_within_60s=(ca["wait_s"] <= 60).sum() / len(ch))
    # repeats: any later contact of the data (not only of the period), strictly later, ≤ window
    window = pd.Timedelta(days=kpi["repeat_window_days"])
    times = allc.dropna(subset=["customer_id"]).groupby("customer_id")["received_at"].agg(lambda s: np.sort(s.to_numpy()))
    base = c[c["answered"] & c["customer_id"].notna()]
    rep = cens = 0
    last = allc["received_at"].max()
    for cust, t in zip(base["customer_id"], base["received_at"]):
        arr = times[cust]
        i = np.searchsorted(arr, t.to_datetime64(), side="right")
        rep += bool(i < len(arr) and arr[i] <= (t + window).to_datetime64())
        cens += bool(t + window > last)
    out.update(repeat_rate=rep / len(base), repeat_censored=cens, fcr=1 - rep / len(base),
               resolved_rate=c.loc[c["answered"], "resolved"].sum() / c["answered"].sum())
    return out


def raw_answers(folder, start, end):
    r = pd.read_csv(folder / "responses.csv", parse_dates=["responded_at"])
    r = r[(r["responded_at"] >= start) & (r["responded_at"] < end)].copy()
    for col, lo, hi in (("csat", 1, 5), ("nps", 0, 10), ("ces", 1, 7)):   # out of range: cell blanked
        r.loc[~r[col].between(lo, hi), col] = np.nan
    return r[r[["csat", "nps", "ces"]].notna().any(axis=1)]


def independent_surveys(folder, start, end):
    r = raw_answers(folder, start, end)
    cs, n, ce = r["csat"].dropna(), r["nps"].dropna(), r["ces"].dropna()
    N = len(n)
    pP, pD = (n >= 9).mean(), (n <= 6).mean()
    aP, aD = ((n >= 9).sum() + 0.75) / (N + 3), ((n <= 6).sum() + 0.75) / (N + 3)
    # very unhappy, per answer: csat ≤ 2, else (no csat) nps ≤ 6 (the product's documented reading)
    scored = r["csat"].notna() | r["nps"].notna()
    unhappy = np.where(r["csat"].notna(), r["csat"] <= 2, r["nps"] <= 6)[scored.to_numpy()]
    s = pd.read_csv(folder / "sends.csv", parse_dates=["sent_at"])
    s = s[(s["sent_at"] >= start) & (s["sent_at"] < end)]
    return {"n": len(r), "csat": (cs >= 4).mean(), "csat_mean": cs.mean(), "csat_n": len(cs),
            "nps": 100 * (pP - pD), "nps_n": N, "nps_ci95": 1.96 * 100 * math.sqrt((pP + pD - (pP - pD) ** 2) / N),
            "nps_ci95_adjusted": 1.96 * 100 * math.sqrt((aP + aD - (aP - aD) ** 2) / (N + 3)),
            "ces_mean": ce.mean(), "ces_easy": (ce >= 5).mean(), "ces_n": len(ce),
            "unhappy_share": unhappy.mean(), "response_rate": len(r) / len(s)}


def independent_roi(folder, spec, start, end):
    """roi-model.md on the client's data: N = customers sent a survey, r = share of them who
    answered, u = very unhappy share of the answers, k, C, m, F, s, c from client.yml."""
    s = pd.read_csv(folder / "sends.csv", parse_dates=["sent_at"])
    s = s[(s["sent_at"] >= start) & (s["sent_at"] < end)]
    r = raw_answers(folder, start, end)
    cust = set(s["customer_id"].dropna())
    N = len(cust)
    rr = len(cust & set(r["customer_id"].dropna())) / N
    u = independent_surveys(folder, start, end)["unhappy_share"]
    a = spec["roi"]
    k, C, m, F, sc, c = (a.get(x, 0) for x in ("retention_rate", "acquisition_cost", "annual_margin", "fixed_cost",
                                              "cost_per_invite", "cost_per_recovery"))
    kept = N * rr * u * k
    cost = F + N * sc + N * rr * u * c
    gross = kept * C + kept * m
    return {"customers_surveyed": N, "respondents": N * rr, "unhappy_detected": N * rr * u,
            "customers_retained": kept, "avoided_acquisition_cost": kept * C, "retained_margin": kept * m,
            "program_cost": cost, "net_benefit": gross - cost, "roi": (gross - cost) / cost,
            "break_even_retention_rate": cost / (N * rr * u * (C + m))}


# -- the comparisons -----------------------------------------------------------------

@pytest.fixture(scope="module")
def audit(folder):
    cfg = load_config(folder / "client.yml")
    views = collect.compute_views(cfg, "2026-10-01", "2026-10-31")
    res = deck_results(cfg, views, "2026-10", start="2026-10-01", end="2026-10-31")
    spec = yaml.safe_load((folder / "client.yml").read_text(encoding="utf-8"))
    allc = raw_contacts(folder)
    mine = {**independent_contacts(allc, spec, START, END), **independent_surveys(folder, START, END)}
    return cfg, views, res, spec, allc, mine


def _close(a, b):
    return (a is None or (isinstance(a, float) and math.isnan(a))) and (b is None or (isinstance(b, float) and math.isnan(b))) \
        or a == pytest.approx(b, rel=1e-9, abs=1e-12)


def test_every_overall_kpi_equals_the_independent_computation(audit):
    _, views, _, _, _, mine = audit
    got = views.views["overall"].loc["overall"]
    wrong = {k: (got[k], v) for k, v in mine.items() if not _close(float(got[k]), float(v))}
    assert not wrong


def test_previous_month_repeats_see_the_next_month(folder, audit):
    """September's repeat rate counts the October contacts that follow September's, and no
    September window is censored: the file runs to 31 October."""
    cfg, _, _, spec, allc, _ = audit
    views = collect.compute_views(cfg, "2026-09-01", "2026-09-30")
    got = views.views["overall"].loc["overall"]
    mine = independent_contacts(allc, spec, pd.Timestamp("2026-09-01"), START)
    assert got["repeat_censored"] == mine["repeat_censored"] == 0
    assert got["repeat_rate"] == pytest.approx(mine["repeat_rate"])


def test_workbook_cells_are_the_independent_figures(audit, tmp_path):
    from openpyxl import load_workbook

    from cxtoolkit.audit.workbook import write_workbook

    _, views, _, _, _, mine = audit
    wb = load_workbook(write_workbook(views.views, tmp_path / "k.xlsx"))
    ws = next(s for s in wb.worksheets if s.title.startswith("Global"))
    rows = list(ws.iter_rows(values_only=True))
    keys = rows[next(i for i, r in enumerate(rows) if r[0] == "key")]
    values = rows[next(i for i, r in enumerate(rows) if r[0] == "key") + 1]
    cells = dict(zip(keys, values))
    wrong = {k: (cells[k], v) for k, v in mine.items() if k in cells and not _close(float(cells[k]), float(v))}
    assert not wrong and set(mine) <= set(cells)


def _fr_pct(x):
    return f"{100 * x:.1f} %".replace(".", ",")


def _norm(s):
    return re.sub(r"[\s\u00a0\u202f]+", " ", s)


def test_deck_kpi_table_shows_the_independent_figures_rounded(audit):
    from pptx import Presentation

    from cxtoolkit.report import audit_deck as AD

    _, _, res, _, _, mine = audit
    prs = Presentation(io.BytesIO(AD.to_pptx(res)))
    cells = {}
    for slide in prs.slides:
        for sh in slide.shapes:
            if sh.has_table:
                for row in sh.table.rows:
                    texts = [_norm(c.text) for c in row.cells]
                    cells.setdefault(texts[0], texts[1:])
    assert cells["Taux de décroché (QS)"][0] == _fr_pct(mine["answer_rate"])
    assert cells["Taux d'abandon"][0] == _fr_pct(mine["abandonment_rate"])
    assert cells["DMA (durée moyenne d'attente)"][0] == f"{mine['asa_s']:.0f} s"
    assert cells["Niveau de service"][0] == _fr_pct(mine["service_level"])


def test_business_case_on_the_clients_data(audit):
    """roi-model.md's outputs from N, r, u taken from the data and client.yml's assumptions."""
    from cxtoolkit import roi

    cfg, _, res, spec, _, _ = audit
    mine = independent_roi(cfg.folder, spec, START, END)
    inputs = res.pages["roi"]["bc"].case.inputs
    got = roi.compute(inputs)
    assert inputs.customers_surveyed == mine["customers_surveyed"]
    for key in ("respondents", "unhappy_detected", "customers_retained", "avoided_acquisition_cost",
                "retained_margin", "program_cost", "net_benefit", "roi", "break_even_retention_rate"):
        assert got[key] == pytest.approx(mine[key], rel=1e-9), key


def test_calibration_alpha_against_the_krippendorff_package(audit):
    """Interval alpha of the overall QA scores of calls scored by two evaluators or more: the
    krippendorff package (GPL, a test-only oracle) on the product's per-call scores."""
    krippendorff = pytest.importorskip("krippendorff")
    _, _, res, _, _, _ = audit
    cal = res.pages["quality"]["rep"]["calibration"]
    m = cal.units.pivot_table(index="evaluator_id", columns="contact_id", values="score")
    assert cal.overall["alpha"] == pytest.approx(
        krippendorff.alpha(reliability_data=m.to_numpy(), level_of_measurement="interval"), abs=1e-9)


def _erlang_c_wait(n: int, a: float) -> float:
    """P(wait) of Erlang C from its textbook formula (a sum of terms, no library)."""
    if n <= a:
        return 1.0
    total, term = 0.0, 1.0
    for k in range(n):
        if k:
            term *= a / k
        total += term
    top = term * a / n * n / (n - a)
    return top / (total + top)


def test_erlang_c_textbook_example():
    """10 Erlangs (100 calls in 30 min, AHT 180 s): 14 agents answer 88.8 % within 20 s
    (the widely published worked example), 13 do not reach 80 %."""
    sl = lambda n: 1 - _erlang_c_wait(n, 10.0) * math.exp(-(n - 10.0) * 20 / 180)  # noqa: E731
    assert sl(14) == pytest.approx(0.8884, abs=1e-4) and sl(13) < 0.8


def test_staffing_plan_agents_by_an_independent_erlang_c(audit):
    """Every slot's agents on the phones: the fewest with service level ≥ target within T
    (Erlang C) and occupancy ≤ max_occupancy, from the slot's own calls and AHT."""
    _, _, res, _, _, _ = audit
    page = res.pages["staffing"]
    t = page["targets"]
    plan = page["plan"]

    def need(lam, aht):
        if not lam > 0:
            return 0
        a = lam * aht / 3600
        n = max(1, math.floor(a))
        while not (n > a and a / n <= t["max_occupancy"]
                   and 1 - _erlang_c_wait(n, a) * math.exp(-(n - a) * t["within_s"] / aht) >= t["service_level"]):
            n += 1
        return n

    mine = [need(lam, aht) for lam, aht in zip(plan["arrivals_per_hour"], plan["aht_s"])]
    assert plan["agents_required"].tolist() == mine and sum(mine) > 0
    s = page["summary"].loc["week"]
    open_ = plan["open"].to_numpy(bool)
    h = plan["interval_min"].to_numpy(float) / 60
    assert s["agent_hours"] == pytest.approx((plan["agents_required"].to_numpy(float) * h)[open_].sum())
