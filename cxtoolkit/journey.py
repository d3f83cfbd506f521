"""Journey friction map: where along the customer journey customers are hurt.

The stages come from client.yml ``journey`` (about ten touchpoints: discovery, advice,
ordering, payment, delivery, first use, first call, invoice, renewal, cancellation).
A survey answer belongs to the stage in its ``touchpoint`` column — mapped through
client.yml ``journey_touchpoints`` or matched to a stage key or label ignoring accents
and case (:func:`touchpoint_stage`) — else, when it links to a contact through
``contact_id``, to the stage of that contact's reason. A contact
belongs to the stage its ``reason`` maps to through client.yml ``journey_reasons``.

Friction map (:func:`friction_map`), one row per stage (× segment when ``by`` is given):

- ``answers`` (all answers of the stage), ``n`` (answers with a csat or an nps: the base
  of ``unhappy_share``), ``csat`` (top-2 share, csat ≥ 4), ``csat_mean``, ``nps`` with its
  95 % half-width ``nps_ci95``, ``ces_mean``, ``unhappy_share`` (csat ≤ 2, else nps ≤ 6)
  with its Wilson interval;
- ``contacts``: contacts whose reason maps to the stage; ``volume_share`` = contacts of the
  stage / contacts of all stages (of the same segment when the contacts carry the ``by``
  column). Without contacts, or when no contact reason maps to a stage, the volume is
  the stage's share of survey answers (``volume_basis`` says which: ``answers``). A stage
  no reason of client.yml ``journey_reasons`` maps to, while others have one, has its
  contact volume unmeasured (``volume_unmeasured``; ``contacts``, ``volume_share``,
  ``friction_index`` NaN, ``rank`` null): it is not ranked last as if no one called;
- ``friction_raw`` = unhappy_share × volume_share, and the **friction index**
  ``friction_index = 100 × friction_raw / max(friction_raw)``, the max taken over the
  stages of the same segment that have at least ``cfg.kpi.min_answers`` answers: the
  worst stage scores 100, a stage without friction 0. Stages with too few answers get
  ``too_few = True``, ``friction_index`` NaN and ``rank`` null: never ranked;
- ``p_value``: one-sided pooled two-proportion z-test of "the stage's unhappy share is
  above the rest of the journey's" (the other stages of the same segment);
  ``significant`` = p_value < ``alpha`` (0.05) and not too_few;
- ``rank``: 1 = highest friction index, among stages that are not too_few.

Examples
--------
>>> import pandas as pd
>>> from cxtoolkit.config import ClientConfig
>>> cfg = ClientConfig(client="x", journey=["ordering", "delivery"],
...                    journey_reasons={"late": "delivery", "order": "ordering"},
...                    kpi={"min_answers": 2})
>>> resp = pd.DataFrame({"touchpoint": ["ordering"] * 4 + ["delivery"] * 4,
...                      "csat": [5, 5, 4, 1, 1, 1, 2, 5.0]})
>>> cont = pd.DataFrame({"reason": ["late"] * 3 + ["order"]})
>>> fm = friction_map(resp, cfg, contacts=cont)
>>> fm[["stage", "unhappy_share", "volume_share", "friction_index", "rank"]]
      stage  unhappy_share  volume_share  friction_index  rank
0  ordering           0.25          0.25       11.111111     2
1  delivery           0.75          0.75      100.000000     1
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from cxtoolkit import rules, stats
from cxtoolkit.errors import InputError
from cxtoolkit.findings import Finding, Msg, Num, render_all
from cxtoolkit.messages import has, localized_column, pairs, text
from cxtoolkit.schemas import normalise_token

STAGE_LABELS = pairs("journey.stage")   # stage key -> (French, English): the catalogue's
QUADRANTS = pairs("journey.quadrant")    # key-driver quadrant -> (French, English)
TIME_SLICERS = ("month", "week")   # labels: rules.period_label ("2026-05", "2026-W19")


def stage_label(stage: str, locale: str = "fr") -> str:
    """French or English label of a journey stage (the key itself when unknown).

    >>> stage_label("first_use", "en"), stage_label("custom_stage")
    ('First use', 'custom_stage')
    """
    key = f"journey.stage.{stage}"
    return text(key, locale) if has(key) else str(stage)


def contact_stage(contacts: pd.DataFrame, cfg) -> pd.Series:
    """Stage of each contact: its ``reason`` mapped through client.yml ``journey_reasons``."""
    if "reason" not in contacts or not cfg.journey_reasons:
        return pd.Series(pd.NA, index=contacts.index, dtype="string")
    return contacts["reason"].astype("string").map(cfg.journey_reasons).astype("string")


def touchpoint_stage(touchpoint: pd.Series, cfg) -> pd.Series:
    """Stage key of each survey ``touchpoint`` value: client.yml ``journey_touchpoints``
    (``{touchpoint value: stage key}``), else the stage of ``journey`` whose key or
    French / English label equals the value once accents, case and separators are
    ignored, else the value itself.

    >>> from cxtoolkit.config import ClientConfig
    >>> cfg = ClientConfig(client="x", journey=["delivery", "first_use"],
    ...                    journey_touchpoints={"Colis reçu": "delivery"})
    >>> touchpoint_stage(pd.Series(["LIVRAISON", "First use", "Colis reçu", "other"]), cfg).tolist()
    ['delivery', 'first_use', 'delivery', 'other']
    """
    tp = touchpoint.astype("string")
    lookup: dict[str, str] = {}
    for st in cfg.journey:
        for name in (*STAGE_LABELS.get(st, ()), st):   # the key wins over a label
            lookup[normalise_token(name)] = st
    explicit = dict(cfg.journey_touchpoints)
    lookup.update({normalise_token(k): v for k, v in explicit.items()})
    values = tp.dropna().unique()
    mapping = {v: explicit.get(v) or lookup.get(normalise_token(v), v) for v in values}
    return tp.map(mapping).astype("string")


def response_stage(responses: pd.DataFrame, cfg, contacts: pd.DataFrame | None = None) -> pd.Series:
    """Stage of each answer: its ``touchpoint`` (:func:`touchpoint_stage`), else the stage
    of the linked contact's reason."""
    stage = (touchpoint_stage(responses["touchpoint"], cfg) if "touchpoint" in responses
             else pd.Series(pd.NA, index=responses.index, dtype="string"))
    if contacts is not None and "contact_id" in responses and "contact_id" in contacts \
            and stage.isna().any():
        lookup = pd.Series(contact_stage(contacts, cfg).to_numpy(),
                           index=contacts["contact_id"].astype("string")).dropna()
        lookup = lookup[~lookup.index.duplicated()]
        stage = stage.fillna(responses["contact_id"].astype("string").map(lookup).astype("string"))
    return stage


def _with_time_slicer(frame: pd.DataFrame, by: str | None, date_col: str) -> pd.DataFrame:
    if by in TIME_SLICERS and by not in frame and date_col in frame:
        frame = frame.assign(**{by: rules.period_label(pd.to_datetime(frame[date_col]), by)})
    return frame


def _stages(cfg, found: pd.Series) -> list[str]:
    if cfg.journey:
        return list(cfg.journey)
    return sorted(found.dropna().unique().tolist())


def answer_indicators(responses: pd.DataFrame, ces_scale: int = 7) -> pd.DataFrame:
    """Per answer 0/1 indicators summed by the aggregations (vectorised)."""
    idx = responses.index
    nan = pd.Series(np.nan, index=idx)
    csat = responses["csat"].astype("float64") if "csat" in responses else nan
    nps = responses["nps"].astype("float64") if "nps" in responses else nan
    ces = responses["ces"].astype("float64") if "ces" in responses else nan
    has_c, has_n = csat.notna(), nps.notna()
    base = has_c | has_n
    unhappy = rules.very_unhappy(csat, nps)
    return pd.DataFrame({
        "answers": 1, "csat_n": has_c.astype(int), "csat_top2": rules.csat_top2(csat).astype(int),
        "csat_sum": csat.fillna(0.0), "nps_n": has_n.astype(int),
        "promoters": rules.promoter(nps).astype(int), "detractors": rules.detractor(nps).astype(int),
        "ces_n": ces.notna().astype(int), "ces_sum": ces.fillna(0.0),
        "n": base.astype(int), "unhappy": unhappy.astype(int),
    }, index=idx)


def friction_map(responses: pd.DataFrame, cfg, contacts: pd.DataFrame | None = None,
                 by: str | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """Friction per journey stage (× ``by`` segment); see the module docstring for definitions.

    Parameters
    ----------
    responses : canonical responses (``touchpoint`` and csat/nps/ces).
    cfg : ClientConfig (``journey``, ``journey_reasons``, ``kpi.min_answers``).
    contacts : canonical contacts, optional (``reason``) — the volume of each stage.
    by : segment column (``country``, ``channel``, ``segment``...) or ``month`` / ``week``.
    alpha : significance level of the one-sided test.

    Returns
    -------
    DataFrame, one row per (segment,) stage in journey order.
    """
    if by is not None and by not in responses and by not in TIME_SLICERS:
        raise InputError("error.journey.column_split_friction", by=repr(by))
    r = _with_time_slicer(responses, by, "responded_at")
    stage = response_stage(r, cfg, contacts)
    stages = _stages(cfg, stage)
    keep = stage.isin(stages).fillna(False).to_numpy(dtype=bool)
    ind = answer_indicators(r.loc[keep], cfg.kpi.ces_scale)
    ind["stage"] = stage[keep].to_numpy()
    keys = ["stage"] if by is None else [by, "stage"]
    if by is not None:
        ind[by] = r.loc[keep, by].astype("string").to_numpy()
    agg = ind.groupby(keys, observed=True, dropna=True).sum()
    segs = sorted(agg.index.get_level_values(by).unique().tolist()) if by else None
    full = (pd.MultiIndex.from_product([segs, stages], names=keys) if by
            else pd.Index(stages, name="stage"))
    agg = agg.reindex(full, fill_value=0)

    # contact volume per stage (and segment when the contacts carry it)
    volume_basis = "answers"
    contacts_n = pd.Series(np.nan, index=full)
    c = _with_time_slicer(contacts, by, "received_at") if contacts is not None and len(contacts) else None
    cst = contact_stage(c, cfg) if c is not None else None
    ok = cst.isin(stages).fillna(False).to_numpy(dtype=bool) if c is not None else None
    if c is not None and ok.any():   # else (no contact reason maps to a stage): answers
        if by is not None and by in c:
            cnt = pd.DataFrame({by: c.loc[ok, by].astype("string").to_numpy(),
                                "stage": cst[ok].to_numpy()}).groupby(keys).size()
            contacts_n = cnt.reindex(full, fill_value=0).astype("float64")
            volume_basis = "contacts"
        else:
            cnt = cst[ok].value_counts()
            per_stage = cnt.reindex(stages, fill_value=0).astype("float64")
            contacts_n = pd.Series(per_stage.reindex(full.get_level_values("stage")).to_numpy(), index=full)
            volume_basis = "contacts" if by is None else "contacts (all segments)"
    # a stage no contact reason maps to: its contact volume is not measured, not zero
    unmeasured = pd.Series(False, index=full)
    if volume_basis != "answers":
        mapped = set(cfg.journey_reasons.values())
        unmeasured = pd.Series(~full.get_level_values("stage").isin(list(mapped)), index=full)
        contacts_n = contacts_n.mask(unmeasured)

    out = agg.reset_index()
    group = out[by].to_numpy() if by else np.zeros(len(out), dtype=int)
    gkey = pd.Series(group)
    out["stage_order"] = out["stage"].map({s: i for i, s in enumerate(stages)}).astype(int)
    out["stage_label_fr"] = [stage_label(s, "fr") for s in out["stage"]]
    out["stage_label_en"] = [stage_label(s, "en") for s in out["stage"]]
    out["csat"] = stats.safe_div(out["csat_top2"], out["csat_n"])
    out["csat_mean"] = stats.safe_div(out["csat_sum"], out["csat_n"])
    out["nps"] = stats.nps(out["promoters"], out["detractors"], out["nps_n"])
    out["nps_ci95"] = stats.nps_ci95(out["promoters"], out["detractors"], out["nps_n"])
    out["ces_mean"] = stats.safe_div(out["ces_sum"], out["ces_n"])
    out["unhappy_share"] = stats.safe_div(out["unhappy"], out["n"])
    out["unhappy_ci_low"], out["unhappy_ci_high"] = stats.wilson_ci(out["unhappy"], out["n"])
    if volume_basis == "answers":
        vol = out["answers"].astype("float64")
    else:
        vol = pd.Series(contacts_n.to_numpy(), index=out.index)
    out["contacts"] = contacts_n.to_numpy()
    out["volume_unmeasured"] = unmeasured.to_numpy()
    out["volume_share"] = stats.safe_div(vol, vol.groupby(gkey).transform("sum").to_numpy())
    out["volume_basis"] = volume_basis
    out["too_few"] = out["n"] < cfg.kpi.min_answers
    out["friction_raw"] = out["unhappy_share"] * out["volume_share"]
    eligible_raw = out["friction_raw"].where(~out["too_few"])
    mx = eligible_raw.groupby(gkey).transform("max").to_numpy()
    idx = 100.0 * stats.safe_div(out["friction_raw"], mx)
    idx = np.where((mx == 0) & (out["friction_raw"] == 0), 0.0, idx)
    out["friction_index"] = np.where(out["too_few"], np.nan, idx)
    # one-sided test: stage vs rest of the journey (same segment)
    tot_k = out["unhappy"].groupby(gkey).transform("sum").to_numpy()
    tot_n = out["n"].groupby(gkey).transform("sum").to_numpy()
    out["p_value"] = stats.two_proportion_pvalue(out["unhappy"], out["n"], tot_k - out["unhappy"],
                                                 tot_n - out["n"], alternative="greater")
    out["significant"] = (out["p_value"] < alpha).fillna(False).astype(bool) & ~out["too_few"]
    rank = out["friction_index"].groupby(gkey).rank(ascending=False, method="min")
    out["rank"] = pd.array(rank.to_numpy(), dtype="Float64").astype("Int64")
    cols = ([by] if by else []) + [
        "stage", "stage_order", "stage_label_fr", "stage_label_en", "answers", "n", "unhappy",
        "unhappy_share", "unhappy_ci_low", "unhappy_ci_high", "csat_n", "csat", "csat_mean",
        "nps_n", "nps", "nps_ci95", "ces_n", "ces_mean", "contacts", "volume_share",
        "volume_basis", "volume_unmeasured", "friction_raw", "friction_index", "p_value", "significant", "too_few", "rank"]
    return out[cols].sort_values(keys[:-1] + ["stage_order"] if by else ["stage_order"],
                                 ignore_index=True)


def friction_trend(responses: pd.DataFrame, cfg, contacts: pd.DataFrame | None = None,
                   freq: str = "month") -> pd.DataFrame:
    """Friction map per ``month`` (or ``week``): :func:`friction_map` with ``by=freq``."""
    if freq not in TIME_SLICERS:
        raise InputError("error.journey.freq_one", value=', '.join(TIME_SLICERS), freq=repr(freq))
    if "responded_at" not in responses and freq not in responses:
        raise InputError("error.journey.responded_column_trend")
    return friction_map(responses, cfg, contacts=contacts, by=freq)


# -- key drivers ---------------------------------------------------------------------
def customer_frame(responses: pd.DataFrame, cfg, target: str = "nps") -> pd.DataFrame:
    """One row per customer with a cold (barometer) ``target`` score: the overall score
    (mean of their cold answers) and, per stage, the mean of their hot csat (NaN when
    they gave none).
    """
    need = {"customer_id", "survey_type", target}
    missing = need - set(responses.columns)
    if missing:
        raise InputError("error.journey.key_drivers_need", value=', '.join(sorted(missing)))
    st = responses["survey_type"].astype("string").str.lower()
    cust = responses["customer_id"].astype("string")
    cold = (st == "cold").fillna(False) & responses[target].notna() & cust.notna()
    y = responses.loc[cold, target].astype("float64").groupby(cust[cold]).mean().rename("overall")
    stage = response_stage(responses, cfg)
    stages = _stages(cfg, stage)
    hot = ((st == "hot").fillna(False) & stage.isin(stages).fillna(False)
           & responses.get("csat", pd.Series(np.nan, index=responses.index)).notna() & cust.notna())
    if hot.any():
        x = (pd.DataFrame({"customer_id": cust[hot], "stage": stage[hot],
                           "csat": responses.loc[hot, "csat"].astype("float64")})
             .pivot_table(index="customer_id", columns="stage", values="csat", aggfunc="mean"))
    else:
        x = pd.DataFrame(index=pd.Index([], name="customer_id"))
    x = x.reindex(columns=stages)
    return y.to_frame().join(x, how="left")


def _ols(A: np.ndarray, y: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
    """Weighted least squares by the normal equations (small k), lstsq when singular."""
    Aw = A if w is None else A * w[:, None]
    xtx, xty = Aw.T @ A, Aw.T @ y
    try:
        return np.linalg.solve(xtx, xty)
    except np.linalg.LinAlgError:
        return np.linalg.lstsq(xtx, xty, rcond=None)[0]


def key_drivers(responses: pd.DataFrame, cfg, target: str = "nps", n_boot: int = 200,
                seed: int = 0, min_customers: int | None = None,
                max_boot_customers: int = 20_000) -> pd.DataFrame:
    """How much each stage's hot satisfaction moves the overall cold score (key drivers).

    Model: on the customer frame of :func:`customer_frame`, an OLS regression of the
    overall cold score (``nps``: 0–10 recommendation score; ``csat``: 1–5) on each stage's
    hot csat, missing values replaced by the stage mean with a missing-indicator per
    stage (so customers who did not answer about a stage still count). ``impact`` is the
    change of the overall score for one more csat point at the stage, with a 95 %
    bootstrap interval (``n_boot`` resamples of customers, seeded; above
    ``max_boot_customers`` customers, where the bootstrap is slow and the normal
    approximation excellent, a heteroskedasticity-robust HC1 interval instead —
    ``ci_method`` says which); ``impact_std`` is the
    standardised coefficient and ``importance`` its share of the sum of |impact_std|.
    ``performance`` is the stage's hot csat top-2 share. The priority matrix splits the
    stages at the median impact and median performance: ``priority`` (high impact, low
    performance), ``strength``, ``monitor``, ``maintain``. Stages with fewer than
    ``min_customers`` (default cfg.kpi.min_answers) customers are left out of the model
    (``too_few``).
    """
    cf = customer_frame(responses, cfg, target)
    min_customers = cfg.kpi.min_answers if min_customers is None else min_customers
    stages = [c for c in cf.columns if c != "overall"]
    counts = cf[stages].notna().sum()
    used = [s for s in stages if counts[s] >= min_customers]
    # performance from all hot answers of the stage
    ind = friction_map(responses[responses.get("survey_type", pd.Series("hot", index=responses.index))
                                 .astype("string").str.lower().eq("hot").fillna(False)], cfg)
    perf = ind.set_index("stage")[["csat", "csat_n"]].reindex(stages)
    res = pd.DataFrame({"stage": stages, "customers": counts.reindex(stages).to_numpy()})
    res["impact"] = res["impact_ci_low"] = res["impact_ci_high"] = res["impact_std"] = np.nan
    n = len(cf)
    method = None
    if used and n > 2 * len(used) + 1:
        X = cf[used].to_numpy(dtype="float64")
        miss = np.isnan(X)
        means = np.nanmean(X, axis=0)
        Xi = np.where(miss, means, X)
        cols = [np.ones(n), *Xi.T] + [m for m in miss.T.astype(float) if 0 < m.sum() < n]
        A = np.column_stack(cols)
        y = cf["overall"].to_numpy(dtype="float64")
        k = len(used)
        # small, tall matrices: one BLAS thread is ~20x faster than a pool fighting for 2 cores
        with threadpool_limits(1, user_api="blas"):
            coef = _ols(A, y)
            beta = coef[1:k + 1]
            if n <= max_boot_customers:
                method = "bootstrap"
                rng = np.random.default_rng(seed)
                boots = np.empty((n_boot, k))
                for b in range(n_boot):  # resamples (not rows): each is one vectorised least squares
                    w = np.bincount(rng.integers(0, n, n), minlength=n).astype("float64")
                    boots[b] = _ols(A, y, w)[1:k + 1]
                lo, hi = np.nanpercentile(boots, [2.5, 97.5], axis=0)
            else:  # large samples: heteroskedasticity-robust (HC1) normal interval
                method = "hc1"
                e = y - A @ coef
                bread = np.linalg.pinv(A.T @ A)
                meat = (A * (e ** 2)[:, None]).T @ A
                cov = bread @ meat @ bread * n / max(n - A.shape[1], 1)
                se = np.sqrt(np.clip(np.diag(cov)[1:k + 1], 0, None))
                lo, hi = beta - stats.Z95 * se, beta + stats.Z95 * se
        sd_y = np.std(y)
        std = beta * np.std(Xi, axis=0) / sd_y if sd_y > 0 else np.full(len(used), np.nan)
        pos = res["stage"].isin(used).to_numpy()
        order = [used.index(s) for s in res.loc[pos, "stage"]]
        res.loc[pos, "impact"] = beta[order]
        res.loc[pos, "impact_ci_low"] = lo[order]
        res.loc[pos, "impact_ci_high"] = hi[order]
        res.loc[pos, "impact_std"] = std[order]
    res["importance"] = stats.safe_div(res["impact_std"].abs(), np.nansum(res["impact_std"].abs()))
    res["significant"] = ((res["impact_ci_low"] > 0) | (res["impact_ci_high"] < 0)).fillna(False)
    res["too_few"] = ~res["stage"].isin(used)
    res["performance"] = perf["csat"].to_numpy()
    res["performance_n"] = perf["csat_n"].to_numpy()
    ok = ~res["too_few"] & res["performance"].notna()
    hi_imp = res["impact"] >= res.loc[ok, "impact"].median()
    hi_perf = res["performance"] >= res.loc[ok, "performance"].median()
    quad = np.where(hi_imp, np.where(hi_perf, "strength", "priority"),
                    np.where(hi_perf, "maintain", "monitor"))
    res["quadrant"] = pd.Series(quad, dtype="string").where(ok.to_numpy())
    res["quadrant_fr"] = res["quadrant"].map({k: v[0] for k, v in QUADRANTS.items()})
    res["quadrant_en"] = res["quadrant"].map({k: v[1] for k, v in QUADRANTS.items()})
    res["stage_label_fr"] = [stage_label(s, "fr") for s in res["stage"]]
    res["stage_label_en"] = [stage_label(s, "en") for s in res["stage"]]
    res["target"] = target
    res["n_customers"] = n
    res["ci_method"] = method
    return res


# -- customer paths ------------------------------------------------------------------
def customer_paths(contacts: pd.DataFrame, cfg, max_steps: int = 5,
                   collapse_repeats: bool = True) -> pd.DataFrame:
    """Transitions between consecutive contact stages per customer, for a Sankey chart.

    Contacts are ordered by ``received_at`` per ``customer_id``; each contact's reason is
    mapped to its stage; with ``collapse_repeats`` consecutive contacts on the same stage
    count once. Returns ``step`` (0 = first stage of the customer), ``source``, ``target``
    and ``customers`` (number of customers making that move), for the first
    ``max_steps`` moves.

    >>> from cxtoolkit.config import ClientConfig
    >>> cfg = ClientConfig(client="x", journey_reasons={"o": "ordering", "d": "delivery"})
    >>> c = pd.DataFrame({"customer_id": ["a", "a", "b", "b", "b"],
    ...                   "received_at": pd.to_datetime(["2026-01-01", "2026-01-03",
    ...                        "2026-01-01", "2026-01-02", "2026-01-05"]),
    ...                   "reason": ["o", "d", "o", "o", "d"]})
    >>> customer_paths(c, cfg).values.tolist()
    [[0, 'ordering', 'delivery', 2]]
    """
    cols = ["step", "source", "target", "customers"]
    if not {"customer_id", "received_at", "reason"} <= set(contacts.columns):
        return pd.DataFrame(columns=cols)
    st = contact_stage(contacts, cfg)
    ok = (st.notna() & contacts["customer_id"].notna()).to_numpy(dtype=bool)
    d = pd.DataFrame({"customer_id": contacts.loc[ok, "customer_id"].astype("string").to_numpy(),
                      "t": pd.to_datetime(contacts.loc[ok, "received_at"]).to_numpy(),
                      "stage": st[ok].to_numpy()}).sort_values(["customer_id", "t"], kind="stable")
    if collapse_repeats:
        same = (d["customer_id"] == d["customer_id"].shift()) & (d["stage"] == d["stage"].shift())
        d = d[~same.fillna(False).to_numpy(dtype=bool)]
    d = d.assign(step=d.groupby("customer_id").cumcount(),
                 target=d["stage"].shift(-1).where(d["customer_id"] == d["customer_id"].shift(-1)))
    d = d[d["target"].notna() & (d["step"] < max_steps)]
    out = (d.groupby(["step", "stage", "target"], observed=True).size().rename("customers")
           .reset_index().rename(columns={"stage": "source"}))
    return out[cols].sort_values(["step", "customers"], ascending=[True, False], ignore_index=True)


# -- commentary ----------------------------------------------------------------------
def _p_value(p: float) -> Finding:
    if p < 0.001:
        return Finding("journey.commentary.p_small")
    return Finding("journey.commentary.p_value", {"p": Num(p, "number", {"decimals": 3})})


def friction_findings(fmap: pd.DataFrame, locale: str = "fr", top: int = 3,
                      drivers: pd.DataFrame | None = None) -> list[Finding]:
    """Findings of :func:`comment_friction` (``locale`` picks the stage labels)."""
    lab = localized_column("stage_label", locale)
    out: list[Finding] = []
    ranked = fmap[fmap["rank"].notna()].sort_values("friction_index", ascending=False).head(top)
    pct = lambda x: Num(x, "ratio", {"decimals": 0})  # noqa: E731
    for i, row in enumerate(ranked.itertuples()):
        basis = "answers" if row.volume_basis == "answers" else "contacts"
        out.append(Finding("journey.commentary.friction", {
            "head": Msg("journey.commentary.main_point" if i == 0 else "journey.commentary.point"),
            "stage": getattr(row, lab), "index": Num(row.friction_index, "index"), "unhappy": pct(row.unhappy_share),
            "n": Num(row.n, "count"), "volume": pct(row.volume_share), "basis": Msg(f"journey.commentary.volume_{basis}"),
            "verdict": Finding("journey.commentary.significant" if row.significant else
                               "journey.commentary.not_significant", {"p": _p_value(row.p_value)})},
            "priority" if row.significant else "caveat"))
    few = fmap.loc[fmap["too_few"] & (fmap["answers"] > 0), lab].unique().tolist()
    unmeasured = fmap.loc[fmap["volume_unmeasured"] & ~fmap["too_few"] & (fmap["answers"] > 0), lab].unique().tolist() \
        if "volume_unmeasured" in fmap else []
    none = fmap.loc[fmap["answers"] == 0, lab].unique().tolist()
    if few:
        out.append(Finding("journey.commentary.too_few", {"stages": ", ".join(few)}, "caveat"))
    if unmeasured:
        out.append(Finding("journey.commentary.volume_unmeasured", {"stages": ", ".join(unmeasured)}, "caveat"))
    if none:
        out.append(Finding("journey.commentary.no_answer", {"stages": ", ".join(none)}, "caveat"))
    if drivers is not None and len(drivers):
        pr = drivers[drivers["quadrant"] == "priority"].sort_values("impact", ascending=False)
        if len(pr):
            out.append(Finding("journey.commentary.levers", {"stages": ", ".join(pr[lab])}, "priority"))
        sig = drivers[drivers["significant"]].sort_values("impact", ascending=False).head(1)
        for row in sig.itertuples():
            signed = lambda x: Num(x, "number", {"decimals": 2, "signed": True})  # noqa: E731
            out.append(Finding("journey.commentary.driver", {
                "stage": getattr(row, lab), "impact": signed(row.impact), "low": signed(row.impact_ci_low),
                "high": signed(row.impact_ci_high),
                "score": Msg("journey.commentary.score_nps" if row.target == "nps" else "journey.commentary.score_csat")}))
    return out


def comment_friction(fmap: pd.DataFrame, locale: str = "fr", top: int = 3,
                     drivers: pd.DataFrame | None = None) -> list[str]:
    """Short commentary of a friction map (and optionally of the key drivers), FR or EN.

    >>> import pandas as pd
    >>> from cxtoolkit.config import ClientConfig
    >>> cfg = ClientConfig(client="x", journey=["ordering", "delivery"], kpi={"min_answers": 2})
    >>> r = pd.DataFrame({"touchpoint": ["ordering"] * 4 + ["delivery"] * 4,
    ...                   "csat": [5, 5, 4, 1, 1, 1, 2, 5.0]})
    >>> comment_friction(friction_map(r, cfg), "en")[0][:37]
    'Main friction point: Delivery (index '
    """
    return render_all(friction_findings(fmap, locale, top, drivers), locale)


def to_records(frame: pd.DataFrame) -> list[dict]:
    """JSON-ready records (NaN/NA → None, NumPy scalars → Python)."""
    recs = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    out = []
    for rec in recs:
        clean = {}
        for k, v in rec.items():
            if isinstance(v, np.generic):
                v = v.item()
            if isinstance(v, float) and np.isnan(v):
                v = None
            clean[k] = v
        out.append(clean)
    return out
