"""The review sampling plan: which interactions each agent's evaluators listen to next week."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from cxtoolkit import rules
from cxtoolkit.errors import InputError
from cxtoolkit.messages import text
from cxtoolkit.quality.frames import as_string
from cxtoolkit.quality.settings import QualitySettings

#: why an interaction is in the review plan: the codes of the plan's ``reason`` column (a CSV
#: plan and ``cxtoolkit sample --json`` keep them: scripts read them); people read
#: :func:`reason_label`
REASONS = ("random", "new_agent", "complaint", "long")
COMPLAINT_PATTERN = r"complain|réclam|reclam|plainte|litige|dispute|queja"


def _hash_key(ids: pd.Series, seed: int) -> np.ndarray:
    """A uniform-ish key per id, reproducible and independent of row order."""
    return pd.util.hash_array(np.asarray(as_string(ids).fillna("") + f"|{seed}", dtype=object)).astype("uint64")


def iso_week_bounds(week: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """[monday, next monday) of ISO week ``YYYY-Www``.

    >>> iso_week_bounds("2026-W01")[0].date().isoformat()
    '2025-12-29'
    """
    m = re.fullmatch(r"(\d{4})-?W(\d{2})", str(week).strip())
    if not m:
        raise InputError("error.quality.expected_yyyy_www", week=repr(week))
    try:
        start = pd.Timestamp.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError:
        raise InputError("error.quality.such_iso_week", week=repr(week)) from None
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
        raise InputError("error.quality.sampling_plan_needs")
    c = contacts.loc[contacts["agent_id"].notna()]
    if "answered" in c.columns:
        c = c.loc[rules.answered(c["answered"])]
    start = None
    if week:
        start, end = iso_week_bounds(week)
        c = c.loc[(c["received_at"] >= start) & (c["received_at"] < end)]
    c = c.assign(contact_id=as_string(c["contact_id"]), agent_id=as_string(c["agent_id"]))
    c = c.drop_duplicates("contact_id")
    # complaints
    complaint = pd.Series(False, index=c.index)
    if "reason" in c.columns:
        complaint |= as_string(c["reason"]).str.contains(COMPLAINT_PATTERN, case=False, regex=True).fillna(False)
    if responses is not None and {"contact_id", "csat"} <= set(responses.columns):
        low = responses.loc[responses["csat"] <= s.complaint_csat_max, "contact_id"].dropna()
        complaint |= c["contact_id"].isin(set(as_string(low)))
    # long conversations
    # handling time by the KPI AHT's rule: a missing part 0 s, a call with none measured left out
    ht = pd.Series(rules.handle_time(*(c[p] if p in c.columns else np.full(len(c), np.nan)
                                       for p in ("talk_s", "hold_s", "wrap_s"))), index=c.index)
    long_ = pd.Series(False, index=c.index)
    if ht.notna().any():
        q = c["queue"] if "queue" in c.columns else pd.Series("all", index=c.index)
        p90 = ht.groupby(as_string(q).fillna(""), observed=True).transform(lambda x: x.quantile(s.long_quantile))
        long_ = ht > p90
    # new agents and quotas
    base = int(s.reviews_per_agent_week)
    quota = pd.Series(base, index=pd.Index(c["agent_id"].unique(), name="agent_id"), dtype="int64")
    new = pd.Series(False, index=quota.index)
    if agents is not None and "hired_on" in agents.columns:
        a = agents.assign(agent_id=as_string(agents["agent_id"])).drop_duplicates("agent_id").set_index("agent_id")
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


def reason_label(reason: str, locale: str | None) -> str:
    """A plan's reason code as people read it in ``locale`` (catalogue
    ``quality.sample_reason.<code>``); an unknown code as it is.

    >>> reason_label("new_agent", "fr"), reason_label("complaint", "en"), reason_label("odd", "fr")
    ('nouveau conseiller', 'complaint', 'odd')
    """
    return text(f"quality.sample_reason.{reason}", locale) if reason in REASONS else str(reason)


def with_reason_labels(plan: pd.DataFrame, locale: str | None) -> pd.DataFrame:
    """``plan`` with a ``reason_label`` column after ``reason`` (:func:`reason_label`): the plan
    a person opens (the .xlsx one), the code kept beside it.

    >>> with_reason_labels(pd.DataFrame({"contact_id": ["c1"], "reason": ["long"]}), "fr").to_dict("records")
    [{'contact_id': 'c1', 'reason': 'long', 'reason_label': 'conversation longue'}]
    """
    labels = plan["reason"].map(lambda r: reason_label(r, locale))
    return plan.assign(reason_label=labels)[[*plan.columns[:plan.columns.get_loc("reason") + 1], "reason_label",
                                             *plan.columns[plan.columns.get_loc("reason") + 1:]]]
