"""The fast paths of the contact KPIs against the slow ones they replace (hypothesis).

* ``prepare_contacts`` looks each contact's state up in tables built from the rule
  (``_state_table``); the slow path runs the rule (``_channel_states``) and the repeat /
  resolution / averages / AHT arithmetic over every contact, as the code did before.
* ``_by_customer_then_time`` orders by counting-sort passes; the slow path is ``np.lexsort``.
* ``fixed_width_keys`` renumbers ids by their bytes; equal keys must be equal ids, whatever the
  bytes (non-ASCII, 8 bytes wide, so wide that the keys stay raw uint64).
"""
import importlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cxtoolkit.kpis.contacts as kc
from cxtoolkit import rules
from cxtoolkit.calendar import datetime_ns, in_business_hours
from cxtoolkit.config import ClientConfig
from cxtoolkit.kpis.contacts import (
    _CH, _EM, _PH, N_AUX, _by_customer_then_time, _channel_states, fixed_width_keys, prepare_contacts,
    repeat_flags,
)

T0 = np.datetime64("2026-04-27T00:00:00", "s")
# waits on and beside every threshold of the rule (short abandon, service level, 60 s, 5 h, 24 h)
EDGY = [0.0, np.nextafter(5.0, 0), 5.0, np.nextafter(5.0, 10), 10.0, 20.0, np.nextafter(20.0, 30), 30.0, 60.0,
        60.5, 18000.0, np.nextafter(18000.0, 1e9), 86400.0, 86401.0, 1e6]


def slow_prepare(contacts: pd.DataFrame, cfg: ClientConfig) -> dict:
    """``prepare_contacts`` as it was: the rule over every contact (np.select / np.where)."""
    k, n = cfg.kpi, len(contacts)
    chan = kc._codes_lut(contacts["channel"], {"phone": 1, "email": 2, "chat": 3}, 0)
    ans = rules.answered(contacts["answered"])
    wait = kc._float(contacts, "wait_s")
    has_wait = ~np.isnan(wait)
    w = np.where(has_wait, wait, 0.0)
    country = contacts["country"] if "country" in contacts.columns else None
    in_hours = in_business_hours(contacts["received_at"], cfg, country)
    hb = (kc._codes_lut(contacts["handled_by"], {"agent": 0, "bot": 1}, 2) if "handled_by" in contacts.columns
          else np.full(n, 2, dtype=np.int16))
    st_ = _channel_states(chan, ans, has_wait, w, in_hours, hb, k.service_level_s, k.short_abandon_s)
    rep, cens = repeat_flags(contacts, k.repeat_window_days)
    has_cust = (contacts["customer_id"].notna().to_numpy() if "customer_id" in contacts.columns
                else np.zeros(n, dtype=bool))
    rep_state = np.where(ans & has_cust, 1 + rep.astype(np.int16) + 2 * cens.astype(np.int16), 0)
    if "resolved" in contacts.columns:
        r = contacts["resolved"].astype("boolean")
        res_state = np.where(ans & r.notna().to_numpy(), np.where(r.fillna(False).to_numpy(dtype=bool), 1, 2), 0)
    else:
        res_state = 0
    enters_avg = (((st_ >= _PH + 2) & (st_ <= _PH + 3)) | ((st_ >= _EM + 1) & (st_ <= _EM + 3))
                  | ((st_ >= _CH) & ((st_ - _CH) % 4 >= 1) & ((st_ - _CH) % 4 <= 2)))
    parts = np.vstack([kc._float(contacts, c) for c in ("talk_s", "hold_s", "wrap_s")])
    measured = (chan == 1) & in_hours & ans & ~np.isnan(parts).all(axis=0)
    email_mask = (st_ >= _EM + 1) & (st_ <= _EM + 3)
    return {"state": (st_ * N_AUX + rep_state * 3 + res_state).astype(np.int16),
            "wait": np.where(enters_avg, w, 0.0),
            "handle": np.where(measured, np.nansum(parts, axis=0), 0.0),
            "handle_n": measured.astype("float64"),
            "email_mask": email_mask, "email_wait_h": w[email_mask] / 3600.0,
            "ns": datetime_ns(contacts["received_at"])}


@st.composite
def contacts_and_cfg(draw):
    n = draw(st.integers(1, 50))
    durations = st.one_of(st.none(), st.sampled_from([0.0, 12.5, 300.0]), st.floats(0, 5000, allow_nan=False))
    rows = draw(st.lists(st.tuples(
        st.integers(0, 20 * 86400 - 1),
        st.sampled_from(["phone", "phone", "email", "chat", "letter", None]),
        st.booleans(),
        st.one_of(st.none(), st.sampled_from(EDGY), st.floats(0, 200_000, allow_nan=False)),
        st.sampled_from(["FR", "GB", None]),
        st.one_of(st.none(), st.sampled_from(["k1", "k2", "k3"])),
        st.one_of(st.none(), st.booleans()),
        st.sampled_from(["agent", "bot", "robot", None]),
        durations, durations, durations,
    ), min_size=n, max_size=n))
    secs, ch, ans, wait, country, cust, res, hb, talk, hold, wrap = zip(*rows)

    def floats(v):
        return np.array([np.nan if x is None else x for x in v], dtype="float64")

    frame = pd.DataFrame({
        "received_at": pd.to_datetime((T0 + np.array(secs)).astype("datetime64[ns]")),
        "channel": pd.Series(ch, dtype=draw(st.sampled_from(["str", "category"]))),
        "answered": list(ans), "wait_s": floats(wait), "country": list(country),
        "customer_id": pd.Series(cust, dtype="str"), "resolved": pd.array(list(res), dtype="boolean"),
        "handled_by": pd.Series(hb, dtype="category"),
        "talk_s": floats(talk), "hold_s": floats(hold), "wrap_s": floats(wrap)})
    dropped = draw(st.sets(st.sampled_from(["country", "customer_id", "resolved", "handled_by", "talk_s",
                                            "hold_s", "wrap_s"])))
    # thresholds in any order, equal to each other or to the rule's fixed ones (60 s)
    sl, short = draw(st.sampled_from([(20, 5), (5, 20), (20, 20), (60, 5), (30, 0), (0, 60)]))
    cfg = ClientConfig(client="p", business_hours_by_country={"GB": {"sat": ["08:00", "20:00"]}},
                       kpi={"service_level_s": sl, "short_abandon_s": short,
                            "service_level_formula": "offered"})
    return frame.drop(columns=sorted(dropped)), cfg


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contacts_and_cfg())
def test_prepare_contacts_tables_equal_the_rule_on_every_contact(case):
    frame, cfg = case
    fast, slow = prepare_contacts(frame, cfg), slow_prepare(frame, cfg)
    for name, want in slow.items():
        got = getattr(fast, name)
        assert got.dtype == want.dtype, name
        np.testing.assert_array_equal(got, want, err_msg=name)


@settings(max_examples=150, deadline=None)
@given(st.data(), st.sampled_from([1, 2, 3, 16]), st.booleans())
def test_counting_sort_passes_equal_lexsort(data, radix_bits, in_time_order):
    """Any number of passes (few bits per pass forces several on small data), rows in time
    order or not, ties in time and in customer: the order of ``np.lexsort((t, c))``."""
    n_keys = data.draw(st.sampled_from([1, 2, 7, 100, 70_000, 10 ** 7, 2 ** 40]))
    n = data.draw(st.integers(1, 60))
    c = np.array(data.draw(st.lists(st.integers(0, n_keys - 1), min_size=n, max_size=n)), dtype=np.int64)
    t = np.array(data.draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)), dtype=np.int64)
    if in_time_order:
        t = np.sort(t)
    old = kc.RADIX_BITS
    kc.RADIX_BITS = radix_bits
    try:
        got = _by_customer_then_time(c, t, n_keys)
    finally:
        kc.RADIX_BITS = old
    assert got.tolist() == np.lexsort((t, c)).tolist()


ID_CHARS = st.sampled_from(["K", "0", "1", "9", "a", "é", "ß", "\x01", "\u07ff", "€"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(ID_CHARS, min_size=1, max_size=8)), min_size=1, max_size=30))
def test_fixed_width_keys_equal_only_for_equal_ids(ids):
    s = pd.Series(ids, dtype="str")
    out = fixed_width_keys(s)
    widths = {len(i.encode()) for i in ids if i is not None}
    if len(widths) != 1 or max(widths) > 8:
        assert out is None
        return
    pos, keys, n = out
    present = [i for i in ids if i is not None]
    assert pos.tolist() == [j for j, i in enumerate(ids) if i is not None]
    for a in range(len(present)):
        for b in range(len(present)):
            assert (keys[a] == keys[b]) == (present[a] == present[b])
    if n is not None:
        assert keys.min() >= 0 and keys.max() < n


def test_ids_too_varied_for_a_mixed_radix_keep_their_bytes():
    # every byte from 0x01 to 0xDF: 223 ** 8 > 2 ** 62 codes
    ids = ["\x01" * 8, "\u07ff" * 4, "\x01" + "\u07ff" * 3 + "\x01", "\x01" * 8]
    pos, keys, n = fixed_width_keys(pd.Series(ids, dtype="str"))
    assert n is None and keys.dtype == np.uint64
    assert keys[0] == keys[3] and len(set(keys[:3].tolist())) == 3
    frame = pd.DataFrame({"customer_id": pd.Series(ids, dtype="str"),
                          "received_at": pd.to_datetime(["2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04"])})
    rep, _ = repeat_flags(frame, 7)
    obj, _ = repeat_flags(frame.assign(customer_id=frame["customer_id"].astype(object)), 7)
    assert rep.tolist() == obj.tolist() == [True, False, False, False]


def _next_later(frame: pd.DataFrame) -> np.ndarray:
    """Each contact's next strictly later contact time of the same customer (NaT: none), with
    pandas: distinct (customer, time) pairs, shifted within the customer, merged back."""
    pairs = (frame[["customer_id", "received_at"]].dropna().drop_duplicates()
             .sort_values(["customer_id", "received_at"]))
    pairs["next"] = pairs.groupby("customer_id")["received_at"].shift(-1)
    return frame.merge(pairs, on=["customer_id", "received_at"], how="left")["next"].to_numpy()


@pytest.mark.parametrize("n_customers", [3, 10 ** 7])
def test_many_customers_several_passes_same_flags_as_pandas(n_customers):
    """200k contacts with ties and unsorted times, ids of one length (counting-sort passes over
    their bytes: two for ids spread over 10**7 values) and the same ids as Python objects
    (hashed): the flags of a pandas computation of the next later contact."""
    rng = np.random.default_rng(5)
    n = 200_000
    ids = pd.Series([f"C{i:07d}" for i in rng.integers(0, n_customers, n)], dtype="str")
    ids[rng.integers(0, n, 50)] = None
    secs = rng.integers(0, 40 * 86400, n) // 600 * 600       # ties
    frame = pd.DataFrame({"customer_id": ids, "received_at": pd.to_datetime(T0 + secs)})
    for f in (frame, frame.sort_values("received_at", kind="stable").reset_index(drop=True)):
        nxt = _next_later(f)
        want = (~pd.isna(nxt)) & ((nxt - f["received_at"].to_numpy()) <= np.timedelta64(7, "D"))
        assert 0 < want.sum() < n
        for g in (f, f.assign(customer_id=f["customer_id"].astype(object))):
            assert repeat_flags(g, 7)[0].tolist() == want.tolist()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["C01", "C02", "C03", "C10", "c1", "Zé"]), min_size=2, max_size=20),
       st.booleans())
def test_ids_in_increasing_order_skip_the_hashing_same_duplicates(ids, ordered):
    """Validation proves ids in strictly increasing order distinct without hashing (an export
    sorted by id); sorted ids with a repeat, or unsorted ones, still get each repeat rejected
    as pandas finds it."""
    validate = importlib.import_module("cxtoolkit.io.validate")
    ids = sorted(ids) if ordered else ids
    n = len(ids)
    schema = type("S", (), {"unique": ["contact_id"]})()
    probs = validate._Problems(n)
    rows = np.arange(n, dtype=np.int64) + 2
    validate._unique(schema, {"contact_id": pd.Series(ids, dtype="str")}, probs, rows, pd.RangeIndex(n))
    got = np.zeros(n, dtype=bool)
    for m, _, _ in probs.items:
        got |= m
    assert got.tolist() == pd.Series(ids).duplicated(keep="first").tolist()
    assert validate._increasing(pd.Series(ids, dtype="str")) == all(a < b for a, b in zip(ids, ids[1:]))
