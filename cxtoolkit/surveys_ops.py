"""Survey operations: response rates, survey pressure and its cap, barometer waves,
and the sample size an NPS needs for a given precision.

"Too many surveys kill the survey" (pression marketing): a customer should not be asked
more than once in a given window, hot (after an interaction) and cold (barometer)
surveys together. The barometer surveys the base in waves through the year
(12 000 customers → 3 000 a quarter), stratified by segment, no customer twice.

Examples
--------
>>> round(nps_margin_of_error(0.5, 0.2, 400), 2)
7.65
>>> nps_sample_size(0.5, 0.2, margin=5)
938
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
import pandas as pd

from cxtoolkit import rules, stats
from cxtoolkit.errors import InputError
from cxtoolkit.findings import Num

Z95 = stats.Z95


def _str(s: pd.Series) -> pd.Series:
    return s.astype("string")


def _need(df: pd.DataFrame | None, cols: Sequence[str], table: str, what: str) -> pd.DataFrame:
    if df is None:
        raise InputError("error.surveys_ops.data_data_client", table=table, what=what)
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise InputError("error.surveys_ops.needs_column", table=table, what=what, value=', '.join(missing))
    return df


# ------------------------------------------------------------------------ response rates
def response_rates(sends: pd.DataFrame, responses: pd.DataFrame | None = None,
                   by: str | Sequence[str] | None = "channel") -> pd.DataFrame:
    """Invitations, responses and response rate (with a Wilson 95 % interval) by ``by``.

    Responses are counted from the sends' ``responded`` flag when present, else from
    ``responses``: the sends they answer (their ``send_id``, each send once, in the send's
    group), else, without ``send_id`` (or none filled), the responses grouped the same way.
    ``response_rate`` is NaN for a group without sends.

    >>> import pandas as pd
    >>> s = pd.DataFrame({"send_id": list("abcd"), "channel": ["email"] * 3 + ["sms"],
    ...                   "responded": [True, False, True, False]})
    >>> response_rates(s)["response_rate"].round(3).tolist()
    [0.667, 0.0]
    """
    _need(sends, ["send_id"], "sends", "response rates")
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    for k in keys:
        _need(sends, [k], "sends", f"response rates by {k}")
    if keys:
        n = sends.groupby(keys, observed=True)["send_id"].nunique().rename("sends")
    else:
        n = pd.Series({"overall": sends["send_id"].nunique()}, name="sends")
    if "responded" in sends.columns:
        flag = sends["responded"].fillna(False).astype(bool)
        r = (sends.loc[flag].groupby(keys, observed=True)["send_id"].nunique() if keys
             else pd.Series({"overall": int(sends.loc[flag, "send_id"].nunique())}))
    elif responses is not None and "send_id" in responses.columns and responses["send_id"].notna().any():
        # the sends answered: a second answer to a send, or one to a send not in the file,
        # does not push a rate past 100 % (a send_id column nobody filled links none: below)
        flag = _str(sends["send_id"]).isin(set(_str(responses["send_id"]).dropna())).fillna(False).to_numpy(dtype=bool)
        r = (sends.loc[flag].groupby(keys, observed=True)["send_id"].nunique() if keys
             else pd.Series({"overall": int(sends.loc[flag, "send_id"].nunique())}))
    elif responses is not None:
        for k in keys:
            _need(responses, [k], "responses", f"response rates by {k}")
        r = (responses.groupby(keys, observed=True).size() if keys
             else pd.Series({"overall": len(responses)}))
    else:
        raise InputError("error.surveys_ops.responded_column_responses")
    out = pd.DataFrame({"sends": n}).join(r.rename("responses"), how="left")
    out["responses"] = out["responses"].fillna(0).astype("int64")
    out["response_rate"] = stats.safe_div(out["responses"].to_numpy(), out["sends"].to_numpy())
    lo, hi = stats.wilson_ci(out["responses"].to_numpy(), out["sends"].to_numpy())
    out["ci95_low"], out["ci95_high"] = lo, hi
    return out.reset_index().rename(columns={"index": "group"})


# ------------------------------------------------------------------------ survey pressure
def survey_pressure(sends: pd.DataFrame, period: str = "quarter") -> pd.DataFrame:
    """Invitations per customer per ``period`` (month, quarter or year), hot and cold
    together: customers, invitations, mean / median / P90 / max per customer and the
    share of customers asked more than once.

    >>> import pandas as pd
    >>> s = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...     "sent_at": pd.to_datetime(["2026-01-05", "2026-02-01", "2026-01-10"])})
    >>> survey_pressure(s)[["period", "customers", "mean", "max", "share_over_1"]].to_dict("records")
    [{'period': '2026Q1', 'customers': 2, 'mean': 1.5, 'max': 2, 'share_over_1': 0.5}]
    """
    _need(sends, ["customer_id", "sent_at"], "sends", "survey pressure")
    freq = {"month": "M", "quarter": "Q", "year": "Y"}.get(period)
    if freq is None:
        raise InputError("error.surveys_ops.use_month_quarter", period=repr(period))
    d = sends.loc[sends["customer_id"].notna()]
    d = d.assign(period=pd.to_datetime(d["sent_at"]).dt.to_period(freq).astype("string"))
    per = d.groupby(["period", "customer_id"], observed=True).size().rename("invites").reset_index()
    g = per.groupby("period", observed=True)["invites"]
    out = g.agg(customers="size", invitations="sum", mean="mean", median="median",
                p90=lambda x: x.quantile(0.9), max="max")
    out["share_over_1"] = g.apply(lambda x: float((x > 1).mean()))
    return out.reset_index()


def apply_survey_cap(invitations: pd.DataFrame, history: pd.DataFrame | None = None,
                     window_days: float = 30.0) -> tuple[pd.DataFrame, dict]:
    """Keep at most one survey per customer in any ``window_days`` window.

    ``invitations`` (customer_id, sent_at, any other columns; hot and cold together) are
    taken in time order; one is kept when it comes ``window_days`` or more after the
    customer's previous kept survey *and* that far from any survey already sent
    (``history``). The others are suppressed. Returns ``(kept, report)``, the report
    giving requested / sent / suppressed / suppressed_by_history / suppressed_in_batch.
    Invitations without a customer_id cannot be capped and are kept.

    >>> import pandas as pd
    >>> inv = pd.DataFrame({"customer_id": ["a", "a", "a", "b"], "sent_at": pd.to_datetime(
    ...     ["2026-01-01", "2026-01-20", "2026-02-05", "2026-01-02"])})
    >>> kept, rep = apply_survey_cap(inv)
    >>> kept["sent_at"].dt.strftime("%m-%d").tolist(), rep["suppressed"]
    (['01-01', '02-05', '01-02'], 1)
    """
    _need(invitations, ["customer_id", "sent_at"], "sends", "the survey cap")
    win = pd.Timedelta(days=float(window_days))
    inv = invitations.assign(_row=np.arange(len(invitations)),
                             _t=pd.to_datetime(invitations["sent_at"]).astype("datetime64[ns]"))
    no_id = inv["customer_id"].isna() | inv["_t"].isna()
    cand = inv.loc[~no_id].assign(_c=lambda x: _str(x["customer_id"]))
    by_hist = np.zeros(len(cand), dtype=bool)
    if history is not None and len(history):
        _need(history, ["customer_id", "sent_at"], "sends", "the survey cap history")
        h = history.loc[history["customer_id"].notna()]
        h = pd.DataFrame({"_c": _str(h["customer_id"]),
                          "_h": pd.to_datetime(h["sent_at"]).astype("datetime64[ns]")}).dropna()
        h = h.sort_values("_h")
        cs = cand[["_c", "_t", "_row"]].sort_values("_t")
        back = pd.merge_asof(cs, h, left_on="_t", right_on="_h", by="_c", direction="backward")
        fwd = pd.merge_asof(cs, h, left_on="_t", right_on="_h", by="_c", direction="forward")
        close = ((back["_t"] - back["_h"]) < win).fillna(False) | ((fwd["_h"] - fwd["_t"]) < win).fillna(False)
        bad_rows = set(back.loc[close.to_numpy(), "_row"])
        by_hist = cand["_row"].isin(bad_rows).to_numpy()
    pool = cand.loc[~by_hist].sort_values(["_c", "_t", "_row"], kind="stable")
    kept_rows: list[np.ndarray] = []
    c, t, rows = pool["_c"].to_numpy(), pool["_t"].to_numpy(), pool["_row"].to_numpy()
    while len(rows):  # one round per survey kept per customer (a handful), vectorised inside
        first = np.r_[True, c[1:] != c[:-1]]
        kept_rows.append(rows[first])
        grp = np.cumsum(first) - 1
        last_kept = t[first][grp]
        later = t >= last_kept + win.to_timedelta64()
        c, t, rows = c[later], t[later], rows[later]
    kept_idx = np.concatenate(kept_rows + [inv.loc[no_id, "_row"].to_numpy()]) if kept_rows or no_id.any() \
        else np.array([], dtype=int)
    kept = inv.loc[inv["_row"].isin(kept_idx)].drop(columns=["_row", "_t"])
    n_hist = int(by_hist.sum())
    report = {"requested": int(len(invitations)), "sent": int(len(kept)),
              "suppressed": int(len(invitations) - len(kept)), "suppressed_by_history": n_hist,
              "suppressed_in_batch": int(len(invitations) - len(kept) - n_hist),
              "window_days": float(window_days)}
    return kept, report


# ------------------------------------------------------------------------------ barometer
def customer_base(contacts: pd.DataFrame | None = None, responses: pd.DataFrame | None = None,
                  sends: pd.DataFrame | None = None, stratum: str | None = "segment",
                  required: bool = False) -> pd.DataFrame:
    """Distinct customers (customer_id) seen in contacts, responses or sends, with a
    ``stratum`` column taken from ``stratum`` where a table has it (most frequent value),
    else ``all``. ``required``: a ``stratum`` no table has is an :class:`InputError` (a
    stratification asked for is never dropped silently)."""
    parts = [df for df in (contacts, responses, sends) if df is not None and "customer_id" in df.columns]
    if not parts:
        raise InputError("error.surveys_ops.table_customer_id")
    if required and stratum and not any(stratum in p.columns for p in parts):
        columns = sorted({c for p in parts for c in p.columns} - {"customer_id"})
        raise InputError("error.surveys_ops.no_stratum_column", by=repr(stratum), value=", ".join(columns))
    ids = pd.concat([_str(p["customer_id"]) for p in parts]).dropna().unique()
    base = pd.DataFrame({"customer_id": pd.array(ids, dtype="string")})
    seg = [p[["customer_id", stratum]] for p in parts if stratum and stratum in p.columns]
    if seg:
        s = pd.concat(seg).dropna()
        s = s.assign(customer_id=_str(s["customer_id"]), **{stratum: _str(s[stratum])})
        mode = (s.groupby(["customer_id", stratum], observed=True).size().rename("k").reset_index()
                .sort_values(["customer_id", "k", stratum], ascending=[True, False, True])
                .drop_duplicates("customer_id").set_index("customer_id")[stratum])
        base["stratum"] = base["customer_id"].map(mode).fillna("(unknown)")
    else:
        base["stratum"] = "all"
    return base


def barometer_waves(customers: pd.DataFrame, n_waves: int = 4, per_wave: int | None = None,
                    stratum: str = "stratum", exclude: Sequence[str] | pd.Series | None = None,
                    seed: int = 0) -> pd.DataFrame:
    """Split a customer base into ``n_waves`` waves (e.g. quarterly), stratified by
    ``stratum``, each customer in at most one wave.

    Customers are shuffled (seeded, by id) within their stratum and laid end to end,
    stratum after stratum; ``n_waves × per_wave`` of them are taken at a regular step
    (all when ``per_wave`` is None) and dealt to the waves in turn, so each wave has the
    base's segment mix (±1 per segment) and the waves' sizes differ by at most one.
    ``exclude``: customers surveyed in the last year (not eligible).

    >>> import pandas as pd
    >>> base = pd.DataFrame({"customer_id": [f"c{i}" for i in range(12)],
    ...                      "stratum": ["A"] * 8 + ["B"] * 4})
    >>> w = barometer_waves(base, n_waves=4)
    >>> w.groupby("wave").size().tolist(), int(w.groupby(["wave", "stratum"]).size().max())
    ([3, 3, 3, 3], 2)
    """
    if n_waves < 1:
        raise InputError("error.surveys_ops.need_least_one", n_waves=n_waves)
    _need(customers, ["customer_id"], "customers", "barometer waves")
    c = customers.assign(customer_id=_str(customers["customer_id"])).dropna(subset=["customer_id"])
    c = c.drop_duplicates("customer_id")
    if exclude is not None:
        c = c.loc[~c["customer_id"].isin(set(pd.Series(exclude, dtype="string").dropna()))]
    if stratum not in c.columns:
        c = c.assign(**{stratum: "all"})
    total = len(c) if per_wave is None else int(per_wave) * n_waves
    if total > len(c):
        raise InputError("error.surveys_ops.waves_customers_asked",
                         n_waves=n_waves,
                         per_wave=Num(per_wave, "count"),
                         total=Num(total, "count"),
                         c=Num(len(c), "count"))
    if total == 0:
        return c.assign(wave=pd.Series(dtype="int64")).iloc[0:0]
    key = pd.util.hash_array(np.asarray(c["customer_id"] + f"|{seed}", dtype=object))
    c = c.assign(_k=key, _s=_str(c[stratum]).fillna("")).sort_values(["_s", "_k"], kind="stable")
    # regular step through the stratum-ordered list, random start
    rng = np.random.default_rng(seed)
    step = len(c) / total
    pos = np.floor(rng.uniform(0, step) + step * np.arange(total)).astype(int).clip(0, len(c) - 1)
    chosen = c.iloc[pos]
    offset = int(rng.integers(0, n_waves))
    wave = (np.arange(total) + offset) % n_waves + 1
    return chosen.assign(wave=wave).drop(columns=["_k", "_s"]).sort_values(["wave", "customer_id"]) \
        .reset_index(drop=True)


def last_year_cold(sends: pd.DataFrame | None, as_of: Any, days: int = 365) -> pd.Series:
    """Customers sent a cold (barometer) survey in the ``days`` before ``as_of``."""
    if sends is None or not {"customer_id", "sent_at"} <= set(sends.columns):
        return pd.Series([], dtype="string")
    s = sends
    if "survey_type" in s.columns:
        s = s.loc[_str(s["survey_type"]).str.lower() == "cold"]
    t = pd.Timestamp(as_of)
    s = s.loc[(s["sent_at"] < t) & (s["sent_at"] >= t - pd.Timedelta(days=days))]
    return _str(s["customer_id"]).dropna().drop_duplicates()


# -------------------------------------------------------------------- NPS sample size
def nps_margin_of_error(p_promoters: Any, p_detractors: Any, n: Any, z: float = Z95) -> Any:
    """Half-width of the NPS 95 % interval, in points: z·100·sqrt(var / n) with
    var = pP + pD − (pP − pD)² (:func:`cxtoolkit.stats.nps_se`). NaN for n = 0."""
    pp, pd_, n_ = (np.asarray(x, dtype="float64") for x in (p_promoters, p_detractors, n))
    var = pp + pd_ - (pp - pd_) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        moe = z * 100.0 * np.sqrt(np.clip(var, 0, None) / np.where(n_ > 0, n_, np.nan))
    return float(moe) if moe.ndim == 0 else moe


def nps_sample_size(p_promoters: Any, p_detractors: Any, margin: float = 5.0, z: float = Z95,
                    population: Any = None) -> Any:
    """Answers needed for an NPS margin of error of ``margin`` points:
    n = z²·var / (margin/100)², with a finite-population correction when ``population``
    is given. Integer (rounded up)."""
    if margin <= 0:
        raise InputError("error.surveys_ops.nps_points", margin=repr(margin))
    pp, pd_ = np.asarray(p_promoters, dtype="float64"), np.asarray(p_detractors, dtype="float64")
    var = np.clip(pp + pd_ - (pp - pd_) ** 2, 0, None)
    n0 = z * z * var / (margin / 100.0) ** 2
    if population is not None:
        N = np.asarray(population, dtype="float64")
        n0 = n0 / (1 + (n0 - 1) / N)
    n = np.ceil(n0 - 1e-9).astype("int64")
    return int(n) if n.ndim == 0 else n


def nps_precision_plan(responses: pd.DataFrame, by: str | None = "segment", margin: float = 5.0,
                       response_rate: float | None = None) -> pd.DataFrame:
    """Per segment: answers, NPS, current margin of error, answers needed for ``margin``
    points (with the segment's own promoter/detractor shares; the worst case 0.5/0.5 → 1
    when it has no answers), the extra answers and, with a ``response_rate``, the
    invitations that takes."""
    _need(responses, ["nps"], "responses", "the NPS precision plan")
    r = responses.loc[responses["nps"].notna()]
    r = r.assign(_p=rules.promoter(r["nps"]).astype("int64"), _d=rules.detractor(r["nps"]).astype("int64"))
    if by and by in r.columns:
        g = r.groupby(by, observed=True)
        out = g.agg(n=("nps", "size"), promoters=("_p", "sum"), detractors=("_d", "sum"))
    else:
        out = pd.DataFrame({"n": [len(r)], "promoters": [r["_p"].sum()], "detractors": [r["_d"].sum()]},
                           index=pd.Index(["overall"], name=by or "segment"))
    pp = stats.safe_div(out["promoters"].to_numpy(), out["n"].to_numpy())
    pdt = stats.safe_div(out["detractors"].to_numpy(), out["n"].to_numpy())
    out["nps"] = stats.nps(out["promoters"].to_numpy(), out["detractors"].to_numpy(), out["n"].to_numpy())
    out["margin_of_error"] = nps_margin_of_error(pp, pdt, out["n"].to_numpy())
    ppf, pdf = np.nan_to_num(pp, nan=0.5), np.nan_to_num(pdt, nan=0.5)
    out["needed_n"] = nps_sample_size(ppf, pdf, margin)
    out["extra_n"] = (out["needed_n"] - out["n"]).clip(lower=0)
    if response_rate:
        out["invitations_needed"] = np.ceil(out["needed_n"] / float(response_rate)).astype("int64")
    return out.reset_index()


def barometer_summary(waves: pd.DataFrame, stratum: str = "stratum") -> pd.DataFrame:
    """Customers per wave and stratum (for the CLI and the quality notebook)."""
    return waves.groupby(["wave", stratum], observed=True).size().unstack(fill_value=0)
