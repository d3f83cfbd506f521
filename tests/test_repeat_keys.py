"""Repeat flags with ids of one length sorted as numbers (``fixed_width_keys``): the same flags as
the hashing path (ids as Python objects) and as a naive loop, with missing ids, ties in time,
unsorted times, and ids of several lengths (the hashing path)."""
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from cxtoolkit.kpis.contacts import fixed_width_keys, repeat_flags


def _naive(ids, ns, window_days):
    w = int(round(window_days * 86400 * 1e9))
    out = []
    for i, (c, t) in enumerate(zip(ids, ns)):
        later = [u for d, u in zip(ids, ns) if c is not None and d == c and u > t]
        out.append(bool(later) and min(later) - t <= w)
    return out


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["K01", "K02", "K03", "Ké", None, "K10"]),
                          st.integers(0, 20)), min_size=1, max_size=40),
       st.booleans(), st.sampled_from([1, 2.5, 7]))
def test_packed_ids_same_flags(rows, sort, window):
    if sort:
        rows = sorted(rows, key=lambda r: r[1])
    ids = [r[0] for r in rows]
    ts = pd.to_datetime("2026-05-01") + pd.to_timedelta([r[1] for r in rows], unit="D")
    arrow = pd.DataFrame({"customer_id": pd.Series(ids, dtype="str"), "received_at": ts})
    obj = pd.DataFrame({"customer_id": pd.Series(ids, dtype=object), "received_at": ts})
    a, ca = repeat_flags(arrow, window)
    b, cb = repeat_flags(obj, window)
    assert a.tolist() == b.tolist() == _naive(ids, ts.as_unit("ns").asi8.tolist(), window)
    assert ca.tolist() == cb.tolist()


def test_keys_only_for_one_length():
    assert fixed_width_keys(pd.Series(["K01", "K1"], dtype="str")) is None
    assert fixed_width_keys(pd.Series(["123456789"], dtype="str")) is None
    pos, k, _ = fixed_width_keys(pd.Series(["Ké", None, "Kè", "Ké"], dtype="str")[1:])
    assert pos.tolist() == [1, 2] and k[0] != k[1]
    assert fixed_width_keys(pd.Series(["a", "b"], dtype=object)) is None
