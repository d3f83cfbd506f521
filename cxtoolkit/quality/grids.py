"""Evaluation grids: YAML files in ``templates/grids/`` (one per grid and country variant),
validated into :class:`Grid`; a grid without a file is scored on points."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
import yaml

from cxtoolkit import resources
from cxtoolkit.errors import InputError, YamlProblem
from cxtoolkit.findings import Finding, Msg
from cxtoolkit.quality.frames import as_string

GRIDS_DIR = resources.template("grids")

SECTIONS: dict[str, dict[str, str]] = {
    "voice_tone": {"fr": "Voix et ton", "en": "Voice & tone"},
    "knowledge_accuracy": {"fr": "Connaissances et exactitude", "en": "Knowledge & accuracy"},
    "empathy_helpfulness": {"fr": "Empathie et aide", "en": "Empathy & helpfulness"},
    "procedures_culture": {"fr": "Procédures et usages culturels",
                           "en": "Procedures & cultural practice"},
}


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


def _grid_error(source: str, where: str | Msg, why: Msg) -> InputError:
    return InputError("error.quality.grid_invalid", source=source, where=where, why=why)


def validate_grid(raw: Any, source: str = "grid") -> Grid:
    """Check a grid read from YAML and return a :class:`Grid`; errors name the field.

    >>> validate_grid({"grid": "g", "criteria": [{"id": "x", "section": "voice_tone",
    ...     "weight": 0, "max_score": 4, "label": "X"}]}, "g.yml")
    Traceback (most recent call last):
    ...
    cxtoolkit.errors.InputError: g.yml: criteria[0].weight: must be a number > 0, got 0
    """
    if not isinstance(raw, Mapping):
        raise _grid_error(source, Msg("error.quality.grid.top_level"), Msg("error.quality.grid.mapping"))
    name = raw.get("grid")
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        raise _grid_error(source, "grid", Msg("error.quality.grid.name", {"value": repr(name)}))
    country = raw.get("country")
    if country is not None and not (isinstance(country, str) and re.fullmatch(r"[A-Za-z]{2}", country)):
        raise _grid_error(source, "country", Msg("error.quality.grid.country", {"value": repr(country)}))
    cp = raw.get("critical_pass", 0.5)
    if isinstance(cp, bool) or not isinstance(cp, (int, float)) or not 0 < cp <= 1:
        raise _grid_error(source, "critical_pass", Msg("error.quality.grid.critical_pass", {"value": repr(cp)}))
    sections = raw.get("sections") or {}
    if not isinstance(sections, Mapping):
        raise _grid_error(source, "sections", Msg("error.quality.grid.sections"))
    bad = set(sections) - set(SECTIONS)
    if bad:
        raise _grid_error(source, "sections", Msg("error.quality.grid.unknown_sections", {"value": sorted(bad), "known": ", ".join(SECTIONS)}))
    crits = raw.get("criteria")
    if not isinstance(crits, list) or not crits:
        raise _grid_error(source, "criteria", Msg("error.quality.grid.non_empty_list"))
    rows, seen = [], set()
    for i, c in enumerate(crits):
        where = f"criteria[{i}]"
        if not isinstance(c, Mapping):
            raise _grid_error(source, where, Msg("error.quality.grid.mapping"))
        cid = c.get("id")
        if not isinstance(cid, str) or not cid:
            raise _grid_error(source, f"{where}.id", Msg("error.quality.grid.id", {"value": repr(cid)}))
        if cid in seen:
            raise _grid_error(source, f"{where}.id", Msg("error.quality.grid.duplicate", {"value": repr(cid)}))
        seen.add(cid)
        sec = c.get("section")
        if sec not in SECTIONS:
            raise _grid_error(source, f"{where}.section", Msg("error.quality.grid.section", {"value": repr(sec), "known": ", ".join(SECTIONS)}))
        for key in ("weight", "max_score"):
            v = c.get(key, 1)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
                raise _grid_error(source, f"{where}.{key}", Msg("error.quality.grid.positive", {"value": repr(v)}))
        crit = c.get("critical", False)
        if not isinstance(crit, bool):
            raise _grid_error(source, f"{where}.critical", Msg("error.quality.grid.boolean", {"value": repr(crit)}))
        lab = c.get("label", cid)
        if not isinstance(lab, str) or not lab.strip():
            raise _grid_error(source, f"{where}.label", Msg("error.quality.grid.label"))
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
            raise InputError("error.quality.grid_missing", name=repr(name), name2=cands[-1].name, base=base)
    if not path.is_file():
        raise InputError("error.quality.grid_file_found", path=path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError("error.quality.valid_yaml", path=path, value=YamlProblem(exc)) from None
    return validate_grid(raw, str(path))


def grid_from_data(evaluations: pd.DataFrame, name: str, country: str | None = None) -> Grid:
    """A points grid for a grid with no YAML file: every criterion found in the data,
    weighted by its max_score (score = points obtained / points possible), none critical.
    A criterion without max_score is out of the highest score it got (at least 1)."""
    ev = evaluations
    if "grid" in ev.columns:
        ev = ev.loc[as_string(ev["grid"]) == name]
    crit = as_string(ev["criterion"])
    best = ev["score"].astype("float64").groupby(crit, observed=True).max()
    mx = ev["max_score"].astype("float64") if "max_score" in ev.columns else pd.Series(np.nan, index=ev.index)
    w = mx.groupby(crit, observed=True).median().fillna(best).fillna(1.0)
    w = w.where(w > 0, 1.0)
    df = pd.DataFrame({"criterion": w.index.astype("string"), "section": "", "weight": w.to_numpy(),
                       "max_score": w.to_numpy(), "critical": False, "label": w.index.astype("string")})
    return Grid(name=name, country=country, language="", title=name, critical_pass=0.5,
                sections={k: v["en"] for k, v in SECTIONS.items()}, criteria=df, source=f"{name} (points)")


def resolve_grids(evaluations: pd.DataFrame, default: str = "standard",
                  folder: str | Path | None = None) -> tuple[list[Grid], list[Finding]]:
    """The grids the evaluations name (their ``grid`` column, else ``default``), with
    each country's variant; a grid without a YAML file, or whose evaluations name criteria
    that are in none of its files, is scored on points (:func:`grid_from_data`) and
    reported in the returned warnings (never refused). The warnings are
    :class:`~cxtoolkit.findings.Finding` objects (rendered in the report's language by
    :func:`cxtoolkit.quality.quality_report`).

    >>> ev = pd.DataFrame({"evaluation_id": ["e1", "e1"], "criterion": ["Politeness", "greeting"],
    ...                    "score": [3.0, 4.0], "max_score": [5.0, 4.0]})
    >>> from cxtoolkit.findings import render
    >>> grids, warnings = resolve_grids(ev)
    >>> grids[0].source, render(warnings[0], "en")[:58]
    ('standard (points)', "grid 'standard': criteria not in its file (Politeness), sc")
    """
    ev = evaluations
    countries = sorted(set(as_string(ev["country"]).dropna().str.upper())) if "country" in ev.columns else []
    names = sorted(set(as_string(ev["grid"]).dropna())) if "grid" in ev.columns else [default]
    grids, warnings = [], []
    for g in names:
        try:
            base = load_grid(g, folder=folder)
        except InputError:
            grids.append(grid_from_data(ev, g))
            warnings.append(Finding("quality.warning.no_grid_file", {"grid": g}, "caveat"))
            continue
        loaded = [load_grid(g, c, folder) for c in countries] + [base]
        unknown = _criteria_outside(ev, g, loaded)
        if unknown:
            grids.append(grid_from_data(ev, g))
            more = Msg("quality.warning.more", {"n": len(unknown) - 5}) if len(unknown) > 5 else ""
            warnings.append(Finding("quality.warning.criteria_outside",
                                    {"grid": g, "criteria": ", ".join(unknown[:5]), "more": more}, "caveat"))
            continue
        grids += loaded
    return grids, warnings


def _criteria_outside(evaluations: pd.DataFrame, name: str, grids: Sequence[Grid]) -> list[str]:
    """Criteria of the evaluations of grid ``name`` that none of ``grids`` lists (sorted)."""
    ev = evaluations
    if "grid" in ev.columns:
        ev = ev.loc[(as_string(ev["grid"]) == name).fillna(False)]
    known = set().union(*(set(as_string(g.criteria["criterion"])) for g in grids))
    return sorted(set(as_string(ev["criterion"]).dropna()) - known)


def list_grids(folder: str | Path | None = None) -> list[Grid]:
    """Every grid file in ``folder`` (default ``templates/grids``), validated."""
    base = Path(folder) if folder else GRIDS_DIR
    return [load_grid(p) for p in sorted(base.glob("*.yml"))]
