"""Quality monitoring: evaluation grids, scoring, calibration and review sampling.

A consultant audits the quality a contact centre *delivers* (in-house or outsourced) by
listening to interactions and scoring them on an evaluation grid (grille d'évaluation).
This module turns the long-form ``evaluations`` table of the data contract into:

- a score per evaluation on 0–100 (weighted by the grid; a failed critical criterion
  zeroes the evaluation), then by agent, team, site, vendor, country, criterion and week
  or month;
- **perceived vs delivered** quality per agent or team: QA score against the CSAT of the
  same contacts (joined on ``contact_id``);
- **calibration** on interactions scored by several evaluators: Krippendorff's alpha
  (interval, with a seeded bootstrap CI over units), ICC, evaluators drifting from the
  panel and a pack of the interactions with the widest disagreement;
- a **review sampling plan** per agent (random, new agents, complaints, long
  conversations) and the coverage of last period against the target;
- a short generated commentary in French or English.

Grids live as YAML in ``templates/grids/`` (one file per grid and country variant).

Examples
--------
>>> import pandas as pd
>>> ev = pd.DataFrame({"evaluation_id": ["e1", "e1"], "contact_id": ["c1", "c1"],
...     "agent_id": ["a1", "a1"], "evaluator_id": ["q1", "q1"],
...     "criterion": ["greeting", "empathy"], "score": [4.0, 2.0], "max_score": [4.0, 4.0]})
>>> float(score_evaluations(ev)["score"].iloc[0])
75.0
>>> round(krippendorff_alpha(pd.DataFrame({"unit": [1, 1, 2, 2, 3, 3],
...     "value": [1.0, 1.0, 2.0, 2.0, 3.0, 4.0]})), 3)
0.878
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import yaml

from cxtoolkit import resources, rules
from cxtoolkit.agreement import (  # noqa: F401 - re-exported: quality.krippendorff_alpha etc.
    alpha_with_ci, icc, krippendorff_alpha, krippendorff_alpha_matrix)
from cxtoolkit.errors import InputError

GRIDS_DIR = resources.template("grids")

SECTIONS: dict[str, dict[str, str]] = {
    "voice_tone": {"fr": "Voix et ton", "en": "Voice & tone"},
    "knowledge_accuracy": {"fr": "Connaissances et exactitude", "en": "Knowledge & accuracy"},
    "empathy_helpfulness": {"fr": "Empathie et aide", "en": "Empathy & helpfulness"},
    "procedures_culture": {"fr": "Procédures et usages culturels",
                           "en": "Procedures & cultural practice"},
}

REASONS = ("random", "new_agent", "complaint", "long")
COMPLAINT_PATTERN = r"complain|réclam|reclam|plainte|litige|dispute|queja"
LEVELS = ("agent_id", "team", "site", "vendor", "country", "evaluator_id", "grid")


# ----------------------------------------------------------------------------- settings
@dataclass(frozen=True)
class QualitySettings:
    """Quality-programme settings; read from the optional ``quality:`` block of client.yml.

    >>> QualitySettings.from_config({"quality": {"reviews_per_agent_week": 4}}).reviews_per_agent_week
    4
    """

    grid: str = "standard"
    reviews_per_agent_week: int = 3      # target: evaluations per agent per week
    new_agent_days: int = 90             # tenure below which an agent is "new"
    new_agent_factor: float = 2.0        # new agents get this many times the target
    complaint_csat_max: float = 2.0      # CSAT at or below this makes a complaint
    complaint_share: float = 1 / 3       # share of an agent's slots kept for complaints
    long_share: float = 1 / 3            # ... and for long conversations
    long_quantile: float = 0.90          # "long" = handling time above the queue's P90
    drift_points: float = 10.0           # practical drift threshold (points on 0–100)
    drift_p: float = 0.05                # significance of the evaluator drift test
    qa_target: float = 80.0              # quadrant threshold on the QA score
    csat_target: float = 0.80            # quadrant threshold on CSAT (top-2 box share)
    quadrant_min_csat: int = 5           # fewer CSAT answers: no quadrant (too few to say)
    n_boot: int = 1000
    seed: int = 0

    @classmethod
    def from_config(cls, cfg: Any = None, **overrides: Any) -> "QualitySettings":
        raw: dict = {}
        if isinstance(cfg, Mapping):
            raw = dict(cfg.get("quality") or {})
        elif cfg is not None:
            raw = dict(getattr(cfg, "quality", None) or {})
        raw.update({k: v for k, v in overrides.items() if v is not None})
        known = set(cls.__dataclass_fields__)
        unknown = set(raw) - known
        if unknown:
            raise InputError(f"client.yml quality: unknown setting(s) {sorted(unknown)}; "
                             f"known: {', '.join(sorted(known))}")
        try:
            return cls(**{k: type(getattr(cls, k))(v) for k, v in raw.items()})
        except (TypeError, ValueError) as exc:
            raise InputError(f"client.yml quality: {exc}") from None


# --------------------------------------------------------------------------------- grids
@dataclass(frozen=True)
class Grid:
    """A validated evaluation grid: one row per criterion in :attr:`criteria`."""

    name: str
    country: str | None
    language: str
    title: str
    critical_pass: float
    sections: dict[str, str]
    criteria: pd.DataFrame = field(repr=False)
    source: str = ""

    def label(self, criterion: str) -> str:
        row = self.criteria.loc[self.criteria["criterion"] == criterion, "label"]
        return str(row.iloc[0]) if len(row) else criterion


def _grid_error(source: str, where: str, why: str) -> InputError:
    return InputError(f"{source}: {where}: {why}")


def validate_grid(raw: Any, source: str = "grid") -> Grid:
    """Check a grid read from YAML and return a :class:`Grid`; errors name the field.

    >>> validate_grid({"grid": "g", "criteria": [{"id": "x", "section": "voice_tone",
    ...     "weight": 0, "max_score": 4, "label": "X"}]}, "g.yml")
    Traceback (most recent call last):
    ...
    cxtoolkit.errors.InputError: g.yml: criteria[0].weight: must be a number > 0, got 0
    """
    if not isinstance(raw, Mapping):
        raise _grid_error(source, "top level", "expected a mapping")
    name = raw.get("grid")
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        raise _grid_error(source, "grid", f"expected a name made of letters, digits, - or _, got {name!r}")
    country = raw.get("country")
    if country is not None and not (isinstance(country, str) and re.fullmatch(r"[A-Za-z]{2}", country)):
        raise _grid_error(source, "country", f"expected an ISO 3166 alpha-2 code or null, got {country!r}")
    cp = raw.get("critical_pass", 0.5)
    if isinstance(cp, bool) or not isinstance(cp, (int, float)) or not 0 < cp <= 1:
        raise _grid_error(source, "critical_pass", f"must be a number in (0, 1], got {cp!r}")
    sections = raw.get("sections") or {}
    if not isinstance(sections, Mapping):
        raise _grid_error(source, "sections", "expected a mapping section: label")
    bad = set(sections) - set(SECTIONS)
    if bad:
        raise _grid_error(source, "sections", f"unknown section(s) {sorted(bad)}; use {', '.join(SECTIONS)}")
    crits = raw.get("criteria")
    if not isinstance(crits, list) or not crits:
        raise _grid_error(source, "criteria", "expected a non-empty list")
    rows, seen = [], set()
    for i, c in enumerate(crits):
        where = f"criteria[{i}]"
        if not isinstance(c, Mapping):
            raise _grid_error(source, where, "expected a mapping")
        cid = c.get("id")
        if not isinstance(cid, str) or not cid:
            raise _grid_error(source, f"{where}.id", f"missing or not text: {cid!r}")
        if cid in seen:
            raise _grid_error(source, f"{where}.id", f"duplicate criterion {cid!r}")
        seen.add(cid)
        sec = c.get("section")
        if sec not in SECTIONS:
            raise _grid_error(source, f"{where}.section", f"{sec!r} is not one of {', '.join(SECTIONS)}")
        for key in ("weight", "max_score"):
            v = c.get(key, 1)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
                raise _grid_error(source, f"{where}.{key}", f"must be a number > 0, got {v!r}")
        crit = c.get("critical", False)
        if not isinstance(crit, bool):
            raise _grid_error(source, f"{where}.critical", f"must be true or false, got {crit!r}")
        lab = c.get("label", cid)
        if not isinstance(lab, str) or not lab.strip():
            raise _grid_error(source, f"{where}.label", "must be a non-empty text")
        rows.append({"criterion": cid, "section": sec, "weight": float(c.get("weight", 1)),
                     "max_score": float(c.get("max_score", 1)), "critical": crit, "label": lab})
    crit_df = pd.DataFrame(rows)
    return Grid(name=name, country=country.upper() if country else None,
                language=str(raw.get("language", "en")), title=str(raw.get("name", name)),
                critical_pass=float(cp),
                sections={k: str(sections.get(k, SECTIONS[k]["en"])) for k in SECTIONS},
                criteria=crit_df, source=source)


def load_grid(name: str | Path = "standard", country: str | None = None,
              folder: str | Path | None = None) -> Grid:
    """Load grid ``name`` (its ``country`` variant when one exists) or a YAML path.

    Looks for ``<name>_<country>.yml`` then ``<name>.yml`` in ``folder`` (default
    ``templates/grids``).

    >>> load_grid("standard", "FR").label("cultural_practice")[:11]
    'Vouvoiement'
    >>> load_grid("standard", "IT").country is None   # no Italian variant: base grid
    True
    """
    p = Path(name)
    if p.suffix in (".yml", ".yaml"):
        path = p
    else:
        base = Path(folder) if folder else GRIDS_DIR
        cands = ([base / f"{name}_{country.lower()}.yml"] if country else []) + [base / f"{name}.yml"]
        path = next((c for c in cands if c.is_file()), None)
        if path is None:
            raise InputError(f"grid {name!r}: no {cands[-1].name} in {base}")
    if not path.is_file():
        raise InputError(f"{path}: grid file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    return validate_grid(raw, str(path))


def grid_from_data(evaluations: pd.DataFrame, name: str, country: str | None = None) -> Grid:
    """A points grid for a grid with no YAML file: every criterion found in the data,
    weighted by its max_score (score = points obtained / points possible), none critical.
    A criterion without max_score is out of the highest score it got (at least 1)."""
    ev = evaluations
    if "grid" in ev.columns:
        ev = ev.loc[_str(ev["grid"]) == name]
    crit = _str(ev["criterion"])
    best = ev["score"].astype("float64").groupby(crit, observed=True).max()
    mx = ev["max_score"].astype("float64") if "max_score" in ev.columns else pd.Series(np.nan, index=ev.index)
    w = mx.groupby(crit, observed=True).median().fillna(best).fillna(1.0)
    w = w.where(w > 0, 1.0)
    df = pd.DataFrame({"criterion": w.index.astype("string"), "section": "", "weight": w.to_numpy(),
                       "max_score": w.to_numpy(), "critical": False, "label": w.index.astype("string")})
    return Grid(name=name, country=country, language="", title=name, critical_pass=0.5,
                sections={k: v["en"] for k, v in SECTIONS.items()}, criteria=df, source=f"{name} (points)")


def resolve_grids(evaluations: pd.DataFrame, default: str = "standard",
                  folder: str | Path | None = None) -> tuple[list[Grid], list[str]]:
    """The grids the evaluations name (their ``grid`` column, else ``default``), with
    each country's variant; a grid without a YAML file, or whose evaluations name criteria
    that are in none of its files, is scored on points (:func:`grid_from_data`) and
    reported in the returned warnings (never refused).

    >>> ev = pd.DataFrame({"evaluation_id": ["e1", "e1"], "criterion": ["Politeness", "greeting"],
    ...                    "score": [3.0, 4.0], "max_score": [5.0, 4.0]})
    >>> grids, warnings = resolve_grids(ev)
    >>> grids[0].source, warnings[0][:58]
    ('standard (points)', "grid 'standard': criteria not in its file (Politeness), sc")
    """
    ev = evaluations
    countries = sorted(set(_str(ev["country"]).dropna().str.upper())) if "country" in ev.columns else []
    names = sorted(set(_str(ev["grid"]).dropna())) if "grid" in ev.columns else [default]
    grids, warnings = [], []
    on_points = "scored on points (score / max_score, no critical criterion)"
    for g in names:
        try:
            base = load_grid(g, folder=folder)
        except InputError:
            grids.append(grid_from_data(ev, g))
            warnings.append(f"grid {g!r}: no templates/grids/{g}.yml, {on_points}")
            continue
        loaded = [load_grid(g, c, folder) for c in countries] + [base]
        unknown = _criteria_outside(ev, g, loaded)
        if unknown:
            grids.append(grid_from_data(ev, g))
            shown = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
            warnings.append(f"grid {g!r}: criteria not in its file ({shown}), {on_points}")
            continue
        grids += loaded
    return grids, warnings


def _criteria_outside(evaluations: pd.DataFrame, name: str, grids: Sequence[Grid]) -> list[str]:
    """Criteria of the evaluations of grid ``name`` that none of ``grids`` lists (sorted)."""
    ev = evaluations
    if "grid" in ev.columns:
        ev = ev.loc[(_str(ev["grid"]) == name).fillna(False)]
    known = set().union(*(set(_str(g.criteria["criterion"])) for g in grids))
    return sorted(set(_str(ev["criterion"]).dropna()) - known)


def list_grids(folder: str | Path | None = None) -> list[Grid]:
    """Every grid file in ``folder`` (default ``templates/grids``), validated."""
    base = Path(folder) if folder else GRIDS_DIR
    return [load_grid(p) for p in sorted(base.glob("*.yml"))]


# ------------------------------------------------------------------------------- helpers
def _str(s: pd.Series) -> pd.Series:
    return s.astype("string")


def _period(ts: pd.Series, freq: str) -> pd.Series:
    ts = pd.to_datetime(ts)
    if freq in ("week", "month"):
        return rules.period_label(ts, freq)
    raise InputError(f"freq {freq!r}: use week or month")


def _with_agents(frame: pd.DataFrame, agents: pd.DataFrame | None) -> pd.DataFrame:
    """Add team/site/vendor/country/hired_on from ``agents`` where the frame lacks them."""
    if agents is None or "agent_id" not in frame.columns:
        return frame
    cols = [c for c in agents.columns if c != "agent_id" and c not in frame.columns]
    if not cols:
        return frame
    a = agents.drop_duplicates("agent_id")[["agent_id", *cols]]
    a = a.assign(agent_id=_str(a["agent_id"]))
    return frame.assign(agent_id=_str(frame["agent_id"])).merge(a, on="agent_id", how="left")


# ------------------------------------------------------------------------------- scoring
def _grid_table(evaluations: pd.DataFrame, grids: Grid | Sequence[Grid] | None) -> pd.DataFrame:
    """Weights per (grid key, country key, criterion) for the evaluations at hand."""
    if grids is None or evaluations.empty:   # (no evaluation: e.g. none scored twice for calibration)
        return pd.DataFrame(columns=["_gk", "_ck", "criterion", "weight", "critical", "_pass", "_gmax"])
    gl = [grids] if isinstance(grids, Grid) else list(grids)
    has_grid = "grid" in evaluations.columns
    has_cty = "country" in evaluations.columns
    gk = _str(evaluations["grid"]).fillna("") if has_grid else pd.Series("", index=evaluations.index)
    ck = _str(evaluations["country"]).fillna("").str.upper() if has_cty else pd.Series("", index=evaluations.index)
    combos = pd.DataFrame({"_gk": gk, "_ck": ck}).drop_duplicates()
    parts = []
    for g_name, c_name in combos.itertuples(index=False):  # a few combinations, not rows
        named = [g for g in gl if not g_name or g.name == g_name]
        pick = (next((g for g in named if g.country == c_name), None)
                or next((g for g in named if g.country is None), None)
                or (named[0] if named else None))
        if pick is None:
            raise InputError(f"evaluations: grid {g_name!r} is not among the loaded grids "
                             f"({', '.join(sorted({g.name for g in gl}))})")
        parts.append(pick.criteria[["criterion", "weight", "critical", "max_score"]]
                     .rename(columns={"max_score": "_gmax"})
                     .assign(_gk=g_name, _ck=c_name, _pass=pick.critical_pass, _src=pick.source))
    return pd.concat(parts, ignore_index=True)


def criterion_rows(evaluations: pd.DataFrame, grids: Grid | Sequence[Grid] | None = None) -> pd.DataFrame:
    """Evaluations (long form) with the grid's weight, critical flag and ``ratio`` =
    score / max_score; a new frame. Without grids every criterion weighs 1, none critical.

    Raises :class:`InputError` when a criterion is missing from its grid.
    """
    need = {"evaluation_id", "criterion", "score"}
    missing = need - set(evaluations.columns)
    if missing:
        raise InputError(f"evaluations: missing column(s) {sorted(missing)}")
    ev = evaluations.assign(criterion=_str(evaluations["criterion"]),
                            evaluation_id=_str(evaluations["evaluation_id"]))
    table = _grid_table(ev, grids)
    if len(table):
        gk = _str(ev["grid"]).fillna("") if "grid" in ev.columns else ""
        ck = _str(ev["country"]).fillna("").str.upper() if "country" in ev.columns else ""
        ev = ev.assign(_gk=gk, _ck=ck)
        table = table.assign(criterion=_str(table["criterion"]), _gk=_str(table["_gk"]),
                             _ck=_str(table["_ck"]))
        ev = ev.assign(_gk=_str(ev["_gk"]), _ck=_str(ev["_ck"]))
        ev = ev.merge(table, on=["_gk", "_ck", "criterion"], how="left")
        unknown = ev["weight"].isna()
        if unknown.any():
            r = ev.loc[unknown].iloc[0]
            src = table.loc[(table["_gk"] == r["_gk"]) & (table["_ck"] == r["_ck"]), "_src"]
            raise InputError(f"evaluations: criterion {r['criterion']!r} is not in grid "
                             f"{src.iloc[0] if len(src) else r['_gk']}")
        ev = ev.drop(columns=["_gk", "_ck", "_src"])
    else:
        ev = ev.assign(weight=1.0, critical=False, _pass=0.5, _gmax=np.nan)
    mx = ev["max_score"].astype("float64") if "max_score" in ev.columns else pd.Series(np.nan, index=ev.index)
    mx = mx.fillna(ev["_gmax"].astype("float64"))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = ev["score"].astype("float64") / mx.where(mx > 0)
    return ev.assign(max_score=mx, ratio=ratio, critical=ev["critical"].astype(bool),
                     critical_fail=ev["critical"].astype(bool) & (ratio < ev["_pass"]))


def score_evaluations(evaluations: pd.DataFrame, grids: Grid | Sequence[Grid] | None = None) -> pd.DataFrame:
    """One row per evaluation with its ``score`` on 0–100.

    score = 100 × Σ weight·(score/max_score) / Σ weight over the criteria scored (an
    empty score means "not applicable"); 0 when a critical criterion scores below the
    grid's ``critical_pass`` share of its maximum. ``raw_score`` is the weighted score
    before the critical rule.

    >>> import pandas as pd
    >>> g = validate_grid({"grid": "g", "critical_pass": 0.5, "criteria": [
    ...   {"id": "a", "section": "voice_tone", "weight": 1, "max_score": 4, "label": "A"},
    ...   {"id": "b", "section": "knowledge_accuracy", "weight": 3, "max_score": 1,
    ...    "critical": True, "label": "B"}]})
    >>> ev = pd.DataFrame({"evaluation_id": ["e1", "e1", "e2", "e2"],
    ...   "criterion": ["a", "b", "a", "b"], "score": [2.0, 1.0, 4.0, 0.0]})
    >>> score_evaluations(ev, g)[["evaluation_id", "raw_score", "score"]].to_dict("list")
    {'evaluation_id': ['e1', 'e2'], 'raw_score': [87.5, 25.0], 'score': [87.5, 0.0]}
    """
    rows = criterion_rows(evaluations, grids)
    w = rows["weight"].where(rows["ratio"].notna(), 0.0)
    rows = rows.assign(_w=w, _wr=(w * rows["ratio"]).fillna(0.0))
    keys = [c for c in ("evaluation_id", "contact_id", "agent_id", "evaluator_id", "evaluated_at",
                        "country", "grid") if c in rows.columns]
    g = rows.groupby("evaluation_id", sort=True, observed=True)
    out = g.agg(_w=("_w", "sum"), _wr=("_wr", "sum"), critical_fail=("critical_fail", "any"),
                n_criteria=("ratio", "count"))
    first = g[[k for k in keys if k != "evaluation_id"]].first() if len(keys) > 1 else None
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = 100.0 * out["_wr"] / out["_w"].where(out["_w"] > 0)
    out = out.assign(raw_score=raw, score=raw.where(~out["critical_fail"] | raw.isna(), 0.0))
    out = out.drop(columns=["_w", "_wr"])
    if first is not None:
        out = first.join(out)
    return out.reset_index()


def quality_by(scored: pd.DataFrame, by: str | Sequence[str] = "agent_id",
               agents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mean evaluation score, count and critical-fail rate by ``by`` (agent_id, team,
    site, vendor, country, evaluator_id, ``week``, ``month`` or any column).

    >>> import pandas as pd
    >>> s = pd.DataFrame({"evaluation_id": ["1", "2", "3"], "agent_id": ["a", "a", "b"],
    ...     "score": [80.0, 0.0, 90.0], "critical_fail": [False, True, False]})
    >>> quality_by(s)["score"].tolist()
    [40.0, 90.0]
    """
    df = _with_agents(scored, agents)
    by = [by] if isinstance(by, str) else list(by)
    for b in by:
        if b in ("week", "month") and b not in df.columns:
            df = df.assign(**{b: _period(df["evaluated_at"], b)})
        elif b not in df.columns:
            raise InputError(f"evaluations: cannot group by {b!r}, no such column")
    g = df.groupby(by, observed=True, sort=True, dropna=False)
    out = g.agg(n=("evaluation_id", "nunique"), score=("score", "mean"),
                score_sd=("score", "std"), critical_fail_rate=("critical_fail", "mean"))
    return out


def quality_trend(scored: pd.DataFrame, freq: str = "week", by: str | None = None,
                  agents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Score by ISO week (``YYYY-Www``) or month (``YYYY-MM``), optionally split by ``by``."""
    return quality_by(scored, [freq] if by is None else [freq, by], agents=agents).reset_index()


def criterion_scores(evaluations: pd.DataFrame, grids: Grid | Sequence[Grid] | None = None,
                     by: str | None = None, locale: str = "en") -> pd.DataFrame:
    """Attainment per criterion: mean score/max_score as %, fail rate (< 50 %), count.

    Sorted from the weakest criterion; ``label`` from the grid in ``locale`` when given.
    """
    rows = criterion_rows(evaluations, grids)
    keys = ["criterion"] if by is None else [by, "criterion"]
    rows = rows.assign(_pct=100.0 * rows["ratio"], _fail=(rows["ratio"] < 0.5).where(rows["ratio"].notna()))
    out = (rows.groupby(keys, observed=True).agg(n=("ratio", "count"), attainment=("_pct", "mean"),
                                                  fail_rate=("_fail", "mean"),
                                                  critical=("critical", "first"))
           .reset_index().sort_values("attainment", kind="stable"))
    if grids is not None:
        gl = [grids] if isinstance(grids, Grid) else list(grids)
        pick = next((g for g in gl if g.language == locale), gl[0])
        labels = pick.criteria.set_index("criterion")
        out = out.assign(label=out["criterion"].map(labels["label"]).fillna(out["criterion"]),
                         section=out["criterion"].map(labels["section"]))
    return out.reset_index(drop=True)


def perceived_vs_delivered(scored: pd.DataFrame, responses: pd.DataFrame | None,
                           agents: pd.DataFrame | None = None, level: str = "agent_id",
                           qa_target: float = 80.0, csat_target: float = 0.80,
                           min_csat: int = 1) -> pd.DataFrame:
    """QA score (delivered) vs CSAT of the same contacts (perceived) per ``level``.

    Each evaluated contact counts once (the mean of its evaluations, so double-scored
    calibration calls do not weigh twice). ``n`` = contacts evaluated, ``score`` = their
    mean, ``csat`` = top-2 box share of the CSAT answers on those contacts (NaN without
    any), ``csat_n`` = those answers. ``quadrant`` (none below ``min_csat`` answers): ``good`` (both at target),
    ``not_perceived`` (good QA, low CSAT), ``not_delivered`` (satisfied customers but the
    quality is not there: incomplete or outdated answers), ``to_coach`` (both low).

    >>> import pandas as pd
    >>> s = pd.DataFrame({"evaluation_id": ["1", "2"], "contact_id": ["c1", "c2"],
    ...     "agent_id": ["a", "a"], "score": [90.0, 70.0]})
    >>> r = pd.DataFrame({"contact_id": ["c1", "c2", "c9"], "csat": [5.0, 2.0, 5.0]})
    >>> perceived_vs_delivered(s, r)[["agent_id", "n", "score", "csat"]].to_dict("records")
    [{'agent_id': 'a', 'n': 2, 'score': 80.0, 'csat': 0.5}]
    """
    df = _with_agents(scored, agents)
    if level not in df.columns:
        raise InputError(f"evaluations: no {level!r} to compare perceived and delivered quality")
    df = df.assign(contact_id=_str(df["contact_id"]))
    per_contact = (df.groupby([level, "contact_id"], observed=True)["score"].mean().reset_index())
    out = per_contact.groupby(level, observed=True).agg(n=("contact_id", "nunique"), score=("score", "mean"))
    if responses is not None and {"contact_id", "csat"} <= set(responses.columns):
        r = responses.loc[responses["csat"].notna() & responses["contact_id"].notna(), ["contact_id", "csat"]]
        r = r.assign(contact_id=_str(r["contact_id"]), _top2=rules.csat_top2(r["csat"]).astype("float64"))
        m = per_contact[[level, "contact_id"]].merge(r, on="contact_id", how="inner")
        cs = m.groupby(level, observed=True).agg(csat=("_top2", "mean"), csat_mean=("csat", "mean"),
                                                  csat_n=("csat", "size"))
        out = out.join(cs, how="left")
    else:
        out = out.assign(csat=np.nan, csat_mean=np.nan, csat_n=0)
    out["csat_n"] = out["csat_n"].fillna(0).astype("int64")
    hi_q, hi_c = out["score"] >= qa_target, out["csat"] >= csat_target
    quad = np.select([hi_q & hi_c, hi_q & ~hi_c, ~hi_q & hi_c, ~hi_q & ~hi_c],
                     ["good", "not_perceived", "not_delivered", "to_coach"], default="")
    out["quadrant"] = pd.Series(quad, index=out.index).where(out["csat"].notna() & out["score"].notna()
                                                             & (out["csat_n"] >= min_csat))
    return out.reset_index()


# --------------------------------------------------------------------------- agreement
# Krippendorff's alpha and ICC live in cxtoolkit.agreement (re-exported here).

# --------------------------------------------------------------------------- calibration
def _loo_median(units: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Median of the *other* values of each value's unit (NaN when alone), vectorised."""
    n = len(values)
    order = np.lexsort((values, units))
    u, v = units[order], values[order]
    starts = np.r_[0, np.flatnonzero(u[1:] != u[:-1]) + 1] if n else np.array([], dtype=int)
    sizes = np.diff(np.r_[starts, n])
    start = np.repeat(starts, sizes)
    m = np.repeat(sizes, sizes)
    pos = np.arange(n) - start
    k = m - 1
    j1 = np.where(k % 2 == 1, (k - 1) // 2, k // 2 - 1)
    j2 = np.where(k % 2 == 1, (k - 1) // 2, k // 2)
    j1, j2 = np.clip(j1, 0, None), np.clip(j2, 0, None)
    i1 = np.clip(start + j1 + (j1 >= pos), 0, max(n - 1, 0))
    i2 = np.clip(start + j2 + (j2 >= pos), 0, max(n - 1, 0))
    med = np.where(k >= 1, (v[i1] + v[i2]) / 2.0, np.nan) if n else np.array([])
    out = np.empty(n)
    out[order] = med
    return out


def calibration_units(scored: pd.DataFrame) -> pd.DataFrame:
    """Per contact × evaluator score (mean if scored twice) for contacts scored by ≥ 2
    evaluators, with ``consensus`` = median of the other evaluators and ``gap``."""
    d = scored.dropna(subset=["score"]).assign(contact_id=_str(scored["contact_id"]),
                                                evaluator_id=_str(scored["evaluator_id"]))
    d = d.groupby(["contact_id", "evaluator_id"], observed=True, sort=False)["score"].mean().reset_index()
    d = d.loc[d.groupby("contact_id")["evaluator_id"].transform("size") >= 2].reset_index(drop=True)
    u = pd.factorize(d["contact_id"])[0]
    cons = _loo_median(u, d["score"].to_numpy(dtype="float64"))
    return d.assign(consensus=cons, gap=d["score"] - cons)


def evaluator_drift(units: pd.DataFrame, drift_points: float = 10.0, p_max: float = 0.05) -> pd.DataFrame:
    """Per evaluator: ``n`` calibration contacts, ``mean_gap`` to the panel consensus,
    one-sample t-test ``p_value`` and ``drifting`` = significant (p < p_max) and
    practically large (|mean_gap| > drift_points, default 10 % of the 0–100 scale)."""
    from scipy import stats as _st   # here, not at the top: `sample` and `barometer` need no scipy (0.6 s)

    g = units.groupby("evaluator_id", observed=True)["gap"]
    out = g.agg(n="count", mean_gap="mean", sd="std")
    with np.errstate(divide="ignore", invalid="ignore"):
        t = out["mean_gap"] / (out["sd"] / np.sqrt(out["n"]))
    p = pd.Series(2 * _st.t.sf(np.abs(t.to_numpy(dtype="float64")), (out["n"] - 1).clip(lower=1)),
                  index=out.index).where(out["n"] >= 2)
    p = p.where(~((out["sd"] == 0) & (out["mean_gap"] != 0) & (out["n"] >= 2)), 0.0)
    drifting = (p < p_max) & (out["mean_gap"].abs() > drift_points)
    return out.assign(p_value=p, drifting=drifting.fillna(False).astype(bool)).drop(columns="sd") \
        .reset_index().sort_values("mean_gap", key=np.abs, ascending=False, kind="stable") \
        .reset_index(drop=True)


def calibration_pack(scored: pd.DataFrame, evaluations: pd.DataFrame | None = None,
                     grids: Grid | Sequence[Grid] | None = None, top: int = 10) -> pd.DataFrame:
    """The ``top`` interactions with the widest disagreement between evaluators, for a
    calibration session: contact, agent, evaluators, scores, range, and the criterion
    they disagree on most."""
    units = calibration_units(scored)
    if units.empty:
        return pd.DataFrame(columns=["contact_id", "agent_id", "n_evaluators", "min", "max",
                                     "range", "evaluators", "scores", "worst_criterion"])
    units = units.sort_values(["contact_id", "evaluator_id"])
    g = units.groupby("contact_id", observed=True)
    out = g.agg(n_evaluators=("evaluator_id", "size"), min=("score", "min"), max=("score", "max"),
                sd=("score", "std"))
    out["range"] = out["max"] - out["min"]
    out["evaluators"] = g["evaluator_id"].agg(lambda s: ", ".join(s))
    out["scores"] = g["score"].agg(lambda s: ", ".join(f"{x:.0f}" for x in s))
    out = out.sort_values(["range", "sd"], ascending=False, kind="stable").head(top)
    if "agent_id" in scored.columns:
        ag = scored.assign(contact_id=_str(scored["contact_id"])).drop_duplicates("contact_id") \
            .set_index("contact_id")["agent_id"]
        out.insert(0, "agent_id", out.index.map(ag))
    if evaluations is not None:
        sub = evaluations.loc[_str(evaluations["contact_id"]).isin(set(out.index))]
        rows = criterion_rows(sub, grids)
        rows = rows.assign(contact_id=_str(rows["contact_id"]))
        spread = rows.groupby(["contact_id", "criterion"], observed=True)["ratio"].agg(lambda s: s.max() - s.min()) \
            if len(rows) else pd.Series(dtype="float64")
        if len(spread):
            worst = spread.reset_index().sort_values("ratio", ascending=False, kind="stable") \
                .drop_duplicates("contact_id").set_index("contact_id")["criterion"]
            out["worst_criterion"] = out.index.map(worst)
    return out.reset_index()


@dataclass
class Calibration:
    """Result of :func:`calibration`."""

    overall: dict
    by_criterion: dict
    icc: dict
    evaluators: pd.DataFrame
    pack: pd.DataFrame
    units: pd.DataFrame


def calibration(evaluations: pd.DataFrame, grids: Grid | Sequence[Grid] | None = None,
                scored: pd.DataFrame | None = None, n_boot: int = 1000, seed: int = 0,
                drift_points: float = 10.0, drift_p: float = 0.05, top: int = 10) -> Calibration:
    """Agreement between evaluators on interactions (contact_id) scored by two or more.

    Overall: interval alpha on the 0–100 evaluation scores; per criterion: interval alpha
    on score / max_score; each with a seeded bootstrap CI over units. Plus ICC,
    evaluator drift and the calibration-session pack.
    """
    scored = score_evaluations(evaluations, grids) if scored is None else scored
    units = calibration_units(scored)
    overall = alpha_with_ci(units, "contact_id", "score", n_boot=n_boot, seed=seed)
    multi = evaluations.loc[_str(evaluations["contact_id"]).isin(set(units["contact_id"]))]
    rows = criterion_rows(multi, grids)
    rows = rows.assign(contact_id=_str(rows["contact_id"]), evaluator_id=_str(rows["evaluator_id"]))
    per = rows.groupby(["criterion", "contact_id", "evaluator_id"], observed=True)["ratio"].mean().reset_index()
    by_crit = {}
    for crit, part in per.groupby("criterion", observed=True, sort=True):  # one per criterion
        by_crit[str(crit)] = alpha_with_ci(part.assign(_v=100 * part["ratio"]), "contact_id", "_v",
                                           n_boot=n_boot, seed=seed)
    return Calibration(overall=overall, by_criterion=by_crit,
                       icc=icc(units, "contact_id", "evaluator_id", "score"),
                       evaluators=evaluator_drift(units, drift_points, drift_p),
                       pack=calibration_pack(scored, evaluations, grids, top=top), units=units)


# ------------------------------------------------------------------------------ sampling
def _hash_key(ids: pd.Series, seed: int) -> np.ndarray:
    """A uniform-ish key per id, reproducible and independent of row order."""
    return pd.util.hash_array(np.asarray(_str(ids).fillna("") + f"|{seed}", dtype=object)).astype("uint64")


def iso_week_bounds(week: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """[monday, next monday) of ISO week ``YYYY-Www``.

    >>> iso_week_bounds("2026-W01")[0].date().isoformat()
    '2025-12-29'
    """
    m = re.fullmatch(r"(\d{4})-?W(\d{2})", str(week).strip())
    if not m:
        raise InputError(f"--week {week!r}: expected YYYY-Www, e.g. 2026-W07")
    try:
        start = pd.Timestamp.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError:
        raise InputError(f"--week {week!r}: no such ISO week") from None
    return start, start + pd.Timedelta(days=7)


def sampling_plan(contacts: pd.DataFrame, week: str | None = None, agents: pd.DataFrame | None = None,
                  responses: pd.DataFrame | None = None,
                  settings: QualitySettings | None = None) -> pd.DataFrame:
    """Interactions to review, per agent: a seeded, reproducible mix of reasons.

    Candidates: answered contacts with an ``agent_id`` received in ISO ``week`` (all when
    None), to be listened to the following week. Each agent gets
    ``reviews_per_agent_week`` slots (× ``new_agent_factor`` when hired less than
    ``new_agent_days`` before the week); slots go first to complaints (CSAT ≤
    ``complaint_csat_max`` on the contact, or a complaint ``reason``), then to long
    conversations (handling time above the P90 of the contact's queue), then at random
    (``new_agent`` for a new agent's extra picks). An agent with fewer candidates than
    slots gets them all. Picks depend on the seed and contact ids only, not row order.

    Returns contact_id, agent_id, reason, then received_at and channel/queue/team when known.
    """
    s = settings or QualitySettings()
    if contacts is None or not {"contact_id", "agent_id", "received_at"} <= set(contacts.columns):
        raise InputError("contacts: the sampling plan needs contact_id, agent_id and received_at")
    c = contacts.loc[contacts["agent_id"].notna()]
    if "answered" in c.columns:
        c = c.loc[c["answered"].fillna(False).astype(bool)]
    start = None
    if week:
        start, end = iso_week_bounds(week)
        c = c.loc[(c["received_at"] >= start) & (c["received_at"] < end)]
    c = c.assign(contact_id=_str(c["contact_id"]), agent_id=_str(c["agent_id"]))
    c = c.drop_duplicates("contact_id")
    # complaints
    complaint = pd.Series(False, index=c.index)
    if "reason" in c.columns:
        complaint |= _str(c["reason"]).str.contains(COMPLAINT_PATTERN, case=False, regex=True).fillna(False)
    if responses is not None and {"contact_id", "csat"} <= set(responses.columns):
        low = responses.loc[responses["csat"] <= s.complaint_csat_max, "contact_id"].dropna()
        complaint |= c["contact_id"].isin(set(_str(low)))
    # long conversations
    parts = [c[p].astype("float64").fillna(0.0) for p in ("talk_s", "hold_s", "wrap_s")
             if p in c.columns and c[p].notna().any()]   # a part the export lacks is not measured
    long_ = pd.Series(False, index=c.index)
    if parts:
        ht = sum(parts)
        q = c["queue"] if "queue" in c.columns else pd.Series("all", index=c.index)
        p90 = ht.groupby(_str(q).fillna(""), observed=True).transform(lambda x: x.quantile(s.long_quantile))
        long_ = ht > p90
    # new agents and quotas
    base = int(s.reviews_per_agent_week)
    quota = pd.Series(base, index=pd.Index(c["agent_id"].unique(), name="agent_id"), dtype="int64")
    new = pd.Series(False, index=quota.index)
    if agents is not None and "hired_on" in agents.columns:
        a = agents.assign(agent_id=_str(agents["agent_id"])).drop_duplicates("agent_id").set_index("agent_id")
        ref = start if start is not None else pd.Timestamp(c["received_at"].min())
        hired = pd.to_datetime(a["hired_on"].reindex(quota.index), errors="coerce")
        new = ((ref - hired).dt.days < s.new_agent_days).fillna(False).astype(bool)
        quota = quota.where(~new, int(round(base * s.new_agent_factor)))
    c = c.assign(_key=_hash_key(c["contact_id"], s.seed), _complaint=complaint.to_numpy(),
                 _long=long_.to_numpy(), _quota=c["agent_id"].map(quota).to_numpy())
    c = c.sort_values(["agent_id", "_key"], kind="stable")
    k_c = np.ceil(c["_quota"] * s.complaint_share).astype("int64")
    k_l = np.ceil(c["_quota"] * s.long_share).astype("int64")
    picked = pd.Series(False, index=c.index)
    reason = pd.Series(pd.NA, index=c.index, dtype="string")
    # 1. complaints, 2. long conversations: lowest keys first, within their share of slots
    for flag, k, lab in (("_complaint", k_c, "complaint"), ("_long", k_l, "long")):
        done = picked.astype("int64").groupby(c["agent_id"], observed=True).transform("sum")
        elig = c[flag] & ~picked
        rank = elig.astype("int64").groupby(c["agent_id"], observed=True).cumsum()
        take = elig & (rank <= np.minimum(k, c["_quota"] - done))
        picked |= take
        reason = reason.mask(take, lab)
    # 3. fill the remaining slots at random
    done = picked.astype("int64").groupby(c["agent_id"], observed=True).transform("sum")
    elig = ~picked
    rank = elig.astype("int64").groupby(c["agent_id"], observed=True).cumsum()
    take = elig & (rank <= c["_quota"] - done)
    is_new = c["agent_id"].map(new).fillna(False).astype(bool)
    reason = reason.mask(take & is_new, "new_agent").mask(take & ~is_new, "random")
    picked |= take
    out = c.loc[picked].assign(reason=reason[picked])
    extra = [x for x in ("received_at", "channel", "queue", "team") if x in out.columns]
    out = out[["contact_id", "agent_id", "reason", *extra]]
    order = pd.Categorical(out["reason"], categories=["complaint", "long", "new_agent", "random"])
    return out.assign(_o=order).sort_values(["agent_id", "_o", "contact_id"]).drop(columns="_o") \
        .reset_index(drop=True)


def review_coverage(evaluations_or_scored: pd.DataFrame, agents: pd.DataFrame | None = None,
                    start: Any = None, end: Any = None, target: int = 3) -> pd.DataFrame:
    """Reviews per agent per ISO week against ``target`` over [start, end).

    One row per agent × week (agents from ``agents`` with no review count 0):
    ``reviews`` (distinct contacts evaluated), ``target``, ``met``.
    """
    d = evaluations_or_scored.dropna(subset=["evaluated_at"])
    if start is not None:
        d = d.loc[d["evaluated_at"] >= pd.Timestamp(start)]
    if end is not None:
        d = d.loc[d["evaluated_at"] < pd.Timestamp(end)]
    d = d.assign(agent_id=_str(d["agent_id"]), week=_period(d["evaluated_at"], "week"))
    cnt = d.groupby(["agent_id", "week"], observed=True)["contact_id"].nunique().rename("reviews")
    weeks = pd.Index(sorted(d["week"].dropna().unique()), name="week")
    if start is not None and end is not None:
        days = pd.date_range(pd.Timestamp(start), pd.Timestamp(end) - pd.Timedelta(days=1), freq="D")
        weeks = pd.Index(sorted(set(_period(pd.Series(days), "week"))), name="week")
    ag = set(cnt.index.get_level_values(0))
    if agents is not None:
        ag |= set(_str(agents["agent_id"]).dropna())
    full = pd.MultiIndex.from_product([sorted(ag), weeks], names=["agent_id", "week"])
    out = cnt.reindex(full, fill_value=0).reset_index()
    return out.assign(target=int(target), met=out["reviews"] >= target)


def coverage_summary(coverage: pd.DataFrame) -> pd.DataFrame:
    """Per agent: weeks, weeks meeting the target, mean reviews a week."""
    g = coverage.groupby("agent_id", observed=True)
    return g.agg(weeks=("week", "size"), weeks_met=("met", "sum"), reviews=("reviews", "sum"),
                 reviews_per_week=("reviews", "mean")).reset_index()


# ---------------------------------------------------------------------------- commentary
_TXT = {
    "score": {"fr": "Note qualité moyenne : {score}/100 sur {n} évaluations ; {crit} ont un critère éliminatoire en échec.",
              "en": "Average quality score: {score}/100 over {n} evaluations; {crit} fail a critical criterion."},
    "weak": {"fr": "Critère le plus faible : « {label} » ({att} atteint) — à travailler en formation.",
             "en": "Weakest criterion: '{label}' ({att} attained) — a training priority."},
    "alpha_ok": {"fr": "Calibration : alpha de Krippendorff = {a} (IC 95 % {lo} – {hi}, {n} appels) ; les évaluateurs notent de façon cohérente.",
                 "en": "Calibration: Krippendorff's alpha = {a} (95% CI {lo} – {hi}, {n} calls); evaluators score consistently."},
    "alpha_low": {"fr": "Calibration : alpha de Krippendorff = {a} (IC 95 % {lo} – {hi}, {n} appels), sous 0,80 : organiser une séance de calibration sur les appels les plus discordants.",
                  "en": "Calibration: Krippendorff's alpha = {a} (95% CI {lo} – {hi}, {n} calls), below 0.80: hold a calibration session on the most disputed calls."},
    "alpha_none": {"fr": "Calibration : aucun appel évalué par au moins deux évaluateurs, l'accord ne peut pas être mesuré.",
                   "en": "Calibration: no call was scored by two evaluators or more, agreement cannot be measured."},
    "drift": {"fr": "Évaluateur(s) qui s'écartent du panel : {who}.",
              "en": "Evaluator(s) drifting from the panel: {who}."},
    "no_drift": {"fr": "Aucun évaluateur ne s'écarte significativement du panel.",
                 "en": "No evaluator drifts significantly from the panel."},
    "not_delivered": {"fr": "{k} conseiller(s) ont des clients satisfaits mais une qualité délivrée sous la cible ({who}) : la satisfaction masque des réponses incomplètes ou inexactes.",
                      "en": "{k} agent(s) have satisfied customers but delivered quality below target ({who}): satisfaction hides incomplete or inaccurate answers."},
    "to_coach": {"fr": "{k} conseiller(s) sont sous la cible en qualité et en satisfaction ({who}) : accompagnement prioritaire.",
                 "en": "{k} agent(s) are below target on both quality and satisfaction ({who}): coach first."},
    "coverage": {"fr": "Couverture des écoutes : {share} des semaines conseiller atteignent {t} évaluations.",
                 "en": "Review coverage: {share} of agent-weeks reach {t} evaluations."},
}


def _names(ids: Iterable, k: int = 5) -> str:
    ids = [str(i) for i in ids]
    return ", ".join(ids[:k]) + (" …" if len(ids) > k else "")


def _num(x: float, decimals: int, loc: str) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    txt = f"{x:.{decimals}f}"
    return txt.replace(".", ",").replace("-", "−") if loc == "fr" else txt


def _pct(x: float, loc: str) -> str:
    return _num(100 * x, 0, loc) + ("\u202f%" if loc == "fr" else "%")


def quality_commentary(report: Mapping[str, Any], locale: str = "fr") -> list[str]:
    """A short comment per finding of :func:`quality_report`, in French or English.

    >>> import pandas as pd
    >>> rep = {"scored": pd.DataFrame({"score": [80.0, 70.0], "critical_fail": [False, True]})}
    >>> quality_commentary(rep, "fr")[0]
    'Note qualité moyenne : 75/100 sur 2 évaluations ; 50\u202f% ont un critère éliminatoire en échec.'
    """
    loc = "fr" if str(locale).lower().startswith("fr") else "en"
    t = {k: v[loc] for k, v in _TXT.items()}
    out: list[str] = []
    sc = report.get("scored")
    if sc is not None and len(sc):
        out.append(t["score"].format(score=_num(sc["score"].mean(), 0, loc), n=len(sc),
                                     crit=_pct(sc["critical_fail"].mean(), loc)))
    cr = report.get("criteria")
    if cr is not None and len(cr):
        w = cr.iloc[0]
        out.append(t["weak"].format(label=w.get("label", w["criterion"]), att=_pct(w["attainment"] / 100, loc)))
    cal = report.get("calibration")
    if cal is not None:
        a = cal.overall
        if a["alpha"] is None:
            out.append(t["alpha_none"])
        else:
            lo, hi = (a["ci95"] if a["ci95"][0] is not None else [float("nan")] * 2)
            out.append(t["alpha_ok" if a["alpha"] >= 0.8 else "alpha_low"].format(
                a=_num(a["alpha"], 2, loc), lo=_num(lo, 2, loc), hi=_num(hi, 2, loc), n=a["n_units"]))
        drift = cal.evaluators.loc[cal.evaluators["drifting"]]
        if len(cal.evaluators):
            out.append(t["drift"].format(who=_names(f"{r.evaluator_id} ({'+' if r.mean_gap > 0 else ''}{_num(r.mean_gap, 0, loc)})"
                                                    for r in drift.itertuples()))
                       if len(drift) else t["no_drift"])
    pvd = report.get("perceived")
    if pvd is not None and len(pvd):
        lvl = pvd.columns[0]
        for q in ("not_delivered", "to_coach"):
            sel = pvd.loc[pvd["quadrant"] == q, lvl]
            if len(sel):
                out.append(t[q].format(k=len(sel), who=_names(sel)))
    cov = report.get("coverage")
    if cov is not None and len(cov):
        out.append(t["coverage"].format(share=_pct(cov["met"].mean(), loc), t=int(cov["target"].iloc[0])))
    return out


def _filter(df: pd.DataFrame | None, col: str, value: str | None) -> pd.DataFrame | None:
    if df is None or not value or col not in df.columns:
        return df
    return df.loc[_str(df[col]).str.upper() == str(value).upper()]


def quality_report(evaluations: pd.DataFrame, agents: pd.DataFrame | None = None,
                   responses: pd.DataFrame | None = None, cfg: Any = None,
                   start: Any = None, end: Any = None, vendor: str | None = None,
                   country: str | None = None, locale: str | None = None,
                   settings: QualitySettings | None = None) -> dict[str, Any]:
    """Everything the quality notebook and CLI show, as frames, plus the commentary.

    Filters evaluations to [start, end), to a ``vendor`` (via agents) and a ``country``.
    Keys: scored, by_agent, by_team, trend, criteria, perceived, perceived_team,
    calibration, coverage, commentary, grids.
    """
    s = settings or QualitySettings.from_config(cfg)
    if evaluations is None or evaluations.empty:
        raise InputError("evaluations: no quality evaluations to analyse (data.evaluations in client.yml)")
    ev = evaluations
    if start:
        ev = ev.loc[ev["evaluated_at"] >= pd.Timestamp(start)]
    if end:
        ev = ev.loc[ev["evaluated_at"] < pd.Timestamp(end) + pd.Timedelta(days=1)]
    if vendor:
        if agents is None or "vendor" not in agents.columns:
            raise InputError(f"vendor {vendor!r}: agents table with a vendor column needed")
        ids = set(_str(_filter(agents, "vendor", vendor)["agent_id"]))
        ev = ev.loc[_str(ev["agent_id"]).isin(ids)]
    if country:
        if "country" in ev.columns:
            ev = _filter(ev, "country", country)
        elif agents is not None and "country" in agents.columns:
            ev = ev.loc[_str(ev["agent_id"]).isin(set(_str(_filter(agents, "country", country)["agent_id"])))]
    if ev.empty:
        raise InputError("evaluations: none left after the period / vendor / country filters")
    grids, warnings = resolve_grids(ev, s.grid)
    scored = score_evaluations(ev, grids)
    loc = locale or getattr(cfg, "locale", None) or "fr"
    lab_grids = sorted(grids, key=lambda g: g.language != loc)
    rep: dict[str, Any] = {"grids": grids, "scored": scored, "warnings": warnings}
    rep["by_agent"] = quality_by(scored, "agent_id", agents).reset_index()
    has_team = "team" in scored.columns or (agents is not None and "team" in agents.columns)
    rep["by_team"] = quality_by(scored, "team", agents).reset_index() if has_team else None
    rep["trend"] = quality_trend(scored, "week")
    rep["criteria"] = criterion_scores(ev, lab_grids, locale=loc)
    rep["perceived"] = perceived_vs_delivered(scored, responses, agents, "agent_id", s.qa_target, s.csat_target,
                                             s.quadrant_min_csat)
    rep["perceived_team"] = (perceived_vs_delivered(scored, responses, agents, "team", s.qa_target,
                                                    s.csat_target, s.quadrant_min_csat) if has_team else None)
    rep["calibration"] = calibration(ev, grids, scored=scored, n_boot=s.n_boot, seed=s.seed,
                                     drift_points=s.drift_points, drift_p=s.drift_p)
    rep["coverage"] = review_coverage(scored, agents, start or None,
                                      (pd.Timestamp(end) + pd.Timedelta(days=1)) if end else None,
                                      s.reviews_per_agent_week)
    rep["settings"] = s
    rep["commentary"] = quality_commentary(rep, loc)
    return rep
