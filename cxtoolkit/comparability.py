"""Cross-country comparability of survey scores.

A satisfied Briton tends to answer 9/10 where a satisfied French customer answers 7/10:
a raw ranking of countries mostly ranks answering styles. This module shows raw and
country-normalised figures side by side and says, in a ``ranking_basis`` column, which
one a ranking uses.

Two normalisations:

- **gap to the country benchmark** (``templates/country_benchmarks.yml``, editable):
  ``nps_gap = nps − benchmark nps`` (points) and ``csat_gap = csat − benchmark csat``;
  ``nps_gap_significant`` when |nps_gap| > 1.96 × the NPS standard error;
- **z-scores**: each answer's score standardised with its country's answering style,
  ``z = (score − mean_c) / sd_c``, where (mean_c, sd_c) come from the benchmark table
  (``reference="benchmark"``, the default: comparable across countries) or from the
  data itself (``reference="data"``: every country averages 0, so only comparisons
  *within* a country — stage × country, segment × country — are meaningful).

Examples
--------
>>> import pandas as pd
>>> r = pd.DataFrame({"country": ["FR"] * 4 + ["GB"] * 4,
...                   "nps": [9, 9, 7, 7, 10, 9, 9, 9.0]})
>>> b = {"FR": {"nps": 0, "nps_mean": 7.0, "nps_sd": 2.0},
...      "GB": {"nps": 70, "nps_mean": 9.0, "nps_sd": 1.0}}
>>> t = country_comparison(r, benchmarks=b)
>>> t[["country", "nps", "nps_gap", "rank_raw", "rank", "ranking_basis"]]
  country    nps  nps_gap  rank_raw  rank         ranking_basis
0      FR   50.0     50.0         2     1  nps_gap_to_benchmark
1      GB  100.0     30.0         1     2  nps_gap_to_benchmark
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from cxtoolkit import resources, rules, stats
from cxtoolkit.errors import InputError, YamlProblem
from cxtoolkit.findings import Finding, Msg, Num, render_all

TEMPLATES = resources.template()
FIELDS = ("nps", "csat", "nps_mean", "nps_sd", "csat_mean", "csat_sd")
SCORE_COLS = {"nps": "nps", "csat": "csat"}
BASES = {
    "normalised": {"nps": "nps_gap_to_benchmark", "csat": "csat_gap_to_benchmark"},
    "raw": {"nps": "nps_raw", "csat": "csat_raw"},
}


def benchmarks_path(cfg=None) -> Path:
    """The client's own ``country_benchmarks.yml`` when it has one, else the template."""
    if cfg is not None and getattr(cfg, "folder", None) is not None:
        own = Path(cfg.folder) / "country_benchmarks.yml"
        if own.is_file():
            return own
    return TEMPLATES / "country_benchmarks.yml"


def load_benchmarks(path: Path | str | None = None) -> dict[str, dict[str, float]]:
    """Read the country benchmark table (country code → nps, csat, means and sds).

    >>> b = load_benchmarks()
    >>> b["GB"]["nps_mean"] > b["FR"]["nps_mean"], "default" in b
    (True, True)
    """
    p = Path(path) if path else TEMPLATES / "country_benchmarks.yml"
    if not p.is_file():
        raise InputError("error.comparability.country_benchmark_table", p=p)
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputError("error.comparability.valid_yaml", p=p, value=YamlProblem(exc)) from None
    countries = raw.get("countries")
    if not isinstance(countries, dict) or not countries:
        raise InputError("error.comparability.expected_countries_mapping", p=p)
    out = {}
    for code, vals in countries.items():
        if not isinstance(vals, dict):
            raise InputError("error.comparability.country_map_fields", p=p, code=repr(code))
        bad = set(vals) - set(FIELDS)
        if bad:
            raise InputError("error.comparability.country_unknown_field",
                             p=p,
                             code=repr(code),
                             value=sorted(bad),
                             value2=', '.join(FIELDS))
        key = "default" if str(code) == "default" else str(code).upper()
        try:
            out[key] = {k: float(v) for k, v in vals.items()}
        except (TypeError, ValueError):
            raise InputError("error.comparability.country_values_numbers", p=p, code=repr(code)) from None
        for sd in ("nps_sd", "csat_sd"):
            if out[key].get(sd, 1.0) <= 0:
                raise InputError("error.comparability.country_positive", p=p, code=repr(code), sd=sd)
    return out


def _bench_frame(countries: pd.Series, benchmarks: dict) -> pd.DataFrame:
    default = benchmarks.get("default", {})
    codes = countries.astype("string").str.upper()
    rows = {c: {**default, **benchmarks.get(c, {})} for c in codes.dropna().unique()}
    tab = pd.DataFrame.from_dict(rows, orient="index").reindex(columns=list(FIELDS))
    src = {c: ("country" if c in benchmarks else ("default" if default else "none")) for c in rows}
    tab["benchmark_source"] = pd.Series(src, dtype="string")
    return tab


def normalise_scores(responses: pd.DataFrame, benchmarks: dict | None = None,
                     reference: str = "benchmark") -> pd.DataFrame:
    """Copy of ``responses`` with ``nps_z`` and ``csat_z``: each score standardised with its
    country's mean and standard deviation (benchmark table, or the data's own per country).

    >>> r = pd.DataFrame({"country": ["FR", "GB"], "nps": [7.0, 7.0]})
    >>> b = {"FR": {"nps_mean": 7, "nps_sd": 2}, "GB": {"nps_mean": 9, "nps_sd": 1}}
    >>> normalise_scores(r, b)["nps_z"].tolist()
    [0.0, -2.0]
    """
    if "country" not in responses:
        raise InputError("error.comparability.country_column_normalise")
    if reference not in ("benchmark", "data"):
        raise InputError("error.comparability.reference_benchmark_data", reference=repr(reference))
    out = responses.copy()
    country = responses["country"].astype("string").str.upper()
    for key, col in SCORE_COLS.items():
        if col not in responses:
            continue
        score = responses[col].astype("float64")
        if reference == "data":
            g = score.groupby(country)
            mu, sd = g.transform("mean"), g.transform("std")
        else:
            tab = _bench_frame(country, benchmarks if benchmarks is not None else load_benchmarks())
            mu = country.map(tab[f"{key}_mean"]).astype("float64")
            sd = country.map(tab[f"{key}_sd"]).astype("float64")
        out[f"{key}_z"] = stats.safe_div(score - mu, sd) * np.where(score.notna(), 1.0, np.nan)
    return out


def country_comparison(responses: pd.DataFrame, benchmarks: dict | None = None,
                       by: str | None = None, metric: str = "nps",
                       basis: str = "normalised", min_answers: int = 1) -> pd.DataFrame:
    """Raw and normalised NPS / CSAT per country (× ``by``), with the ranking used.

    Parameters
    ----------
    responses : canonical responses with ``country`` and ``nps`` and/or ``csat``.
    benchmarks : country table (default :func:`load_benchmarks`).
    by : optional second column (``touchpoint``, ``channel``...): rows per country × by;
        the ``*_z_within`` column then compares the segment with its own country.
    metric : ``nps`` or ``csat`` — what the ranking is about.
    basis : ``normalised`` (rank by the gap to the country benchmark, the default) or
        ``raw`` (rank by the raw score). The ``ranking_basis`` column names it.
    min_answers : groups with fewer answers get no rank (``too_few``).

    Returns
    -------
    DataFrame: country, [by], n, nps, nps_ci95, nps_benchmark, nps_gap,
    nps_gap_significant, nps_z (mean z vs benchmark), csat, csat_benchmark, csat_gap,
    csat_z, [nps_z_within, csat_z_within], rank_raw, rank_normalised, rank,
    ranking_basis, benchmark_source, too_few. Ranks are 1 = best, within each ``by``
    value; a rank shared by ties.
    """
    if metric not in ("nps", "csat"):
        raise InputError("error.comparability.metric_nps_csat", metric=repr(metric))
    if basis not in BASES:
        raise InputError("error.comparability.basis_normalised_raw", basis=repr(basis))
    if "country" not in responses:
        raise InputError("error.comparability.country_column_compare")
    if by is not None and by not in responses:
        raise InputError("error.comparability.column_split_comparison", by=repr(by))
    benchmarks = benchmarks if benchmarks is not None else load_benchmarks()
    z = normalise_scores(responses, benchmarks, "benchmark")
    country = responses["country"].astype("string").str.upper()
    nan = pd.Series(np.nan, index=responses.index)
    nps = responses["nps"].astype("float64") if "nps" in responses else nan
    csat = responses["csat"].astype("float64") if "csat" in responses else nan
    d = pd.DataFrame({"country": country, "answers": 1,
                      "nps_n": nps.notna().astype(int), "promoters": rules.promoter(nps).astype(int),
                      "detractors": rules.detractor(nps).astype(int),
                      "csat_n": csat.notna().astype(int), "csat_top2": rules.csat_top2(csat).astype(int),
                      "nps_z": z.get("nps_z", nan), "csat_z": z.get("csat_z", nan)})
    keys = ["country"] + ([by] if by else [])
    if by:
        d[by] = responses[by].astype("string")
        for k in ("nps", "csat"):
            if k in responses:
                within = normalise_scores(responses, benchmarks, "data")[f"{k}_z"]
                d[f"{k}_z_within"] = within
    sums = d.groupby(keys, observed=True, dropna=True)[
        ["answers", "nps_n", "promoters", "detractors", "csat_n", "csat_top2"]].sum()
    means = d.groupby(keys, observed=True, dropna=True)[
        [c for c in d.columns if c.endswith("_z") or c.endswith("_z_within")]].mean()
    out = sums.join(means).reset_index()
    tab = _bench_frame(out["country"], benchmarks)
    out["n"] = np.where(metric == "nps", out["nps_n"], out["csat_n"])
    out["nps"] = stats.nps(out["promoters"], out["detractors"], out["nps_n"])
    out["nps_ci95"] = stats.nps_ci95(out["promoters"], out["detractors"], out["nps_n"])
    se = stats.nps_se(out["promoters"], out["detractors"], out["nps_n"])
    out["nps_benchmark"] = out["country"].map(tab["nps"]).astype("float64")
    out["nps_gap"] = out["nps"] - out["nps_benchmark"]
    out["nps_gap_significant"] = (np.abs(out["nps_gap"]) > 1.96 * se).fillna(False).astype(bool)
    out["csat"] = stats.safe_div(out["csat_top2"], out["csat_n"])
    out["csat_benchmark"] = out["country"].map(tab["csat"]).astype("float64")
    out["csat_gap"] = out["csat"] - out["csat_benchmark"]
    out["benchmark_source"] = out["country"].map(tab["benchmark_source"]).astype("string")
    out["too_few"] = out["n"] < min_answers
    grp = out[by] if by else pd.Series(0, index=out.index)
    raw = out[metric].where(~out["too_few"])
    norm = out[f"{metric}_gap"].where(~out["too_few"])
    out["rank_raw"] = pd.array(raw.groupby(grp).rank(ascending=False, method="min"), dtype="Float64").astype("Int64")
    out["rank_normalised"] = pd.array(norm.groupby(grp).rank(ascending=False, method="min"),
                                      dtype="Float64").astype("Int64")
    out["rank"] = out["rank_normalised"] if basis == "normalised" else out["rank_raw"]
    out["ranking_basis"] = BASES[basis][metric]
    cols = keys + ["n", "nps", "nps_ci95", "nps_benchmark", "nps_gap", "nps_gap_significant",
                   "nps_z", "csat", "csat_benchmark", "csat_gap", "csat_z"]
    cols += [c for c in ("nps_z_within", "csat_z_within") if c in out]
    cols += ["rank_raw", "rank_normalised", "rank", "ranking_basis", "benchmark_source", "too_few"]
    return out[cols].sort_values(keys, ignore_index=True)


def comment_comparison(table: pd.DataFrame, locale: str = "fr", metric: str = "nps") -> list[str]:
    """Commentary: where raw and normalised rankings disagree, and gaps to benchmarks.

    >>> t = pd.DataFrame({"country": ["FR", "GB"], "nps": [0.0, 50.0], "nps_gap": [0.0, 10.0],
    ...                   "nps_gap_significant": [False, True], "rank_raw": [2, 1],
    ...                   "rank_normalised": [2, 1], "csat": [None, None], "csat_gap": [None, None]})
    >>> comment_comparison(t, "en")[1][:38]
    'GB: NPS +50.0 (+10.0 points vs the cou'
    """
    return render_all(comparison_findings(table, metric), locale)


def comparison_findings(table: pd.DataFrame, metric: str = "nps") -> list[Finding]:
    """Findings of :func:`comment_comparison`."""
    out = []
    name = "NPS" if metric == "nps" else "CSAT"
    for row in table.itertuples():
        val, gap = getattr(row, metric), getattr(row, f"{metric}_gap")
        if pd.isna(val) or pd.isna(gap):
            continue
        # as the table shows them (format_value): NPS -11,9 (-31,9 points), CSAT 75,0 % (+5,0 points)
        v = Num(val, "nps") if metric == "nps" else Num(val, "ratio")
        g = Msg("comparability.points", {"value": Num(gap if metric == "nps" else 100 * gap, "nps")})
        sig = bool(getattr(row, f"{metric}_gap_significant", False)) if metric == "nps" else None
        verdict = {True: "significant", False: "not_significant", None: "no_test"}[sig]
        out.append(Finding("comparability.gap", {"country": row.country, "name": name, "value": v, "gap": g,
                                                 "verdict": Msg(f"comparability.{verdict}")},
                           "priority" if sig else "info"))
    moved = table[(table["rank_raw"] != table["rank_normalised"]).fillna(False)] \
        if {"rank_raw", "rank_normalised"} <= set(table.columns) else table.iloc[0:0]
    if len(moved):
        out.append(Finding("comparability.ranking_changes",
                           {"countries": ", ".join(moved["country"].astype(str).unique())}, "caveat"))
    return out
