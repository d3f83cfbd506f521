"""Invariants of the KPI engine on random contact sets (hypothesis)."""
import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxtoolkit.config import ClientConfig
from cxtoolkit.kpis import compute, contact_kpis
from cxtoolkit.kpis.contacts import repeat_flags

CFG = ClientConfig(client="p", business_hours_by_country={"GB": {"sat": ["08:00", "20:00"]}})
RATIOS = ["hno_share", "answer_rate", "abandonment_rate", "service_level", "email_within_24h",
          "email_within_5h", "chat_within_60s", "repeat_rate", "fcr", "resolved_rate"]
T0 = np.datetime64("2026-04-27T00:00:00", "s")


@st.composite
def contact_sets(draw):
    n = draw(st.integers(1, 60))
    ints = st.integers
    rows = draw(st.lists(st.tuples(
        ints(0, 20 * 86400 - 1),                        # seconds after T0 (3 weeks incl. 1 May)
        st.sampled_from(["phone", "phone", "email", "chat"]),
        st.booleans(),
        st.one_of(st.none(), st.floats(0, 200_000, allow_nan=False)),
        st.sampled_from(["FR", "GB", None]),
        st.one_of(st.none(), st.sampled_from(["k1", "k2", "k3", "k4"])),
        st.sampled_from(["s1", "s2", "s3"]),
        st.one_of(st.none(), st.booleans()),
    ), min_size=n, max_size=n))
    secs, ch, ans, wait, country, cust, seg, res = zip(*rows)
    return pd.DataFrame({
        "received_at": pd.to_datetime((T0 + np.array(secs)).astype("datetime64[ns]")),
        "channel": list(ch), "answered": list(ans),
        "wait_s": np.array([np.nan if w is None else w for w in wait], dtype="float64"),
        "country": list(country), "customer_id": list(cust), "segment": list(seg),
        "resolved": pd.array(list(res), dtype="boolean"),
    })


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contact_sets(), st.sampled_from(["segment", "country", "hour", "weekday", "week", ["weekday", "hour"]]))
def test_invariants(df, by):
    before = df.copy()
    over = contact_kpis(df, CFG).iloc[0]
    seg = contact_kpis(df, CFG, by=by)
    pd.testing.assert_frame_equal(df, before)                            # inputs not mutated
    for k in RATIOS:
        vals = pd.concat([seg[k], pd.Series([over[k]])]).dropna()
        assert ((vals >= 0) & (vals <= 1)).all(), k                     # rates in [0, 1]
    assert over["offered"] == over["answered"] + over["abandoned"]
    assert over["inbound"] == over["hno_calls"] + over["offered"] + over["short_abandons"]
    assert over["contacts"] == len(df)
    counts = ["contacts", "inbound", "hno_calls", "short_abandons", "offered", "answered", "abandoned",
              "email_received", "chat_received", "repeat_censored"]
    for k in counts:                                                   # segments add up to overall
        assert seg[k].sum() == over[k], k
    # undefined ratios are NaN, never 0
    assert (over["offered"] == 0) == np.isnan(over["answer_rate"])


@settings(max_examples=40, deadline=None)
@given(contact_sets())
def test_repeat_flags_match_a_naive_definition(df):
    rep, _ = repeat_flags(df, 7)
    t = df["received_at"].to_numpy()
    cust = df["customer_id"].to_numpy(dtype=object)
    w = np.timedelta64(7 * 86400, "s")
    naive = [cust[i] is not None and any(cust[j] == cust[i] and t[i] < t[j] <= t[i] + w
                                         for j in range(len(df)))
             for i in range(len(df))]
    assert rep.tolist() == naive


@settings(max_examples=25, deadline=None)
@given(contact_sets())
def test_compute_row_order_does_not_matter(df):
    a = compute(df, cfg=CFG, by="segment")
    b = compute(df.sample(frac=1.0, random_state=1).reset_index(drop=True), cfg=CFG, by="segment")
    pd.testing.assert_frame_equal(a, b)
