"""Perceived vs delivered quality: the QA score against the CSAT of the same contacts."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cxtoolkit import rules
from cxtoolkit.errors import InputError
from cxtoolkit.quality.frames import as_string, with_agents


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
    df = with_agents(scored, agents)
    if level not in df.columns:
        raise InputError("error.quality.compare_perceived_delivered", level=repr(level))
    df = df.assign(contact_id=as_string(df["contact_id"]))
    per_contact = (df.groupby([level, "contact_id"], observed=True)["score"].mean().reset_index())
    out = per_contact.groupby(level, observed=True).agg(n=("contact_id", "nunique"), score=("score", "mean"))
    if responses is not None and {"contact_id", "csat"} <= set(responses.columns):
        r = responses.loc[responses["csat"].notna() & responses["contact_id"].notna(), ["contact_id", "csat"]]
        r = r.assign(contact_id=as_string(r["contact_id"]), _top2=rules.csat_top2(r["csat"]).astype("float64"))
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
