"""Typed Parquet input (categorical columns, as pandas writes them) is validated with the same
result as the same values given as text: the categorical fast paths of ``as_text`` /
``parse_category`` and the sorted-id shortcut of the duplicate check change no row or reject."""
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from cxtoolkit.io.parse import as_text, parse_category
from cxtoolkit.io.readers import RawTable
from cxtoolkit.io.validate import _all_distinct, validate
from cxtoolkit.schemas import CONTACTS

CELLS = st.sampled_from(["phone", " Phone ", "tel", "email", "mail", "fax", "", "  ", None, "chat", "Téléphone"])


@settings(max_examples=60, deadline=None)
@given(st.lists(CELLS, min_size=1, max_size=30))
def test_categorical_text_same_as_plain_text(cells):
    plain = pd.Series(cells, dtype=object, index=range(7, 7 + len(cells)))   # a slice, as for rejects
    cat = plain.astype("category")
    assert as_text(cat).equals(as_text(plain))
    col = next(c for c in CONTACTS.columns if c.name == "channel")
    v1, b1 = parse_category(plain, col)
    v2, b2 = parse_category(cat, col)
    assert list(pd.Series(v1).astype(object)) == list(pd.Series(v2).astype(object))
    assert list(v1.categories) == list(v2.categories)
    assert b1.tolist() == b2.tolist()


def _frame(categorical: bool) -> pd.DataFrame:
    df = pd.DataFrame({
        "contact_id": ["c1", "c2", "c3", "c2", "c5"],
        "customer_id": ["k1", None, "k2", "k3", "k1"],
        "channel": ["phone", "fax", "email", "chat", " tel "],
        "received_at": pd.to_datetime(["2026-05-05 10:00"] * 5),
        "answered": [True, True, False, True, True],
        "wait_s": [10.0, 5.0, np.nan, 3.0, 2.0],
        "country": ["FR", "GB", "", None, "es"],
        "queue": ["a", "b", "a", None, " "],
    })
    if categorical:
        for c in ("channel", "country", "queue"):
            df[c] = df[c].astype("category")
    else:
        for c in ("contact_id", "customer_id", "channel", "country", "queue"):
            df[c] = df[c].astype("str")
    return df


def test_validate_categorical_parquet_same_as_text():
    now = pd.Timestamp("2030-01-01")
    rows = np.arange(1, 6)
    a_ok, a_rej = validate(RawTable(_frame(False), rows, "x.parquet"), CONTACTS, now=now)
    b_ok, b_rej = validate(RawTable(_frame(True), rows, "x.parquet"), CONTACTS, now=now)
    pd.testing.assert_frame_equal(a_ok, b_ok)
    pd.testing.assert_frame_equal(a_rej, b_rej)
    assert "fax" in set(b_rej["value"]) and "c2" in set(b_rej["value"])   # unknown channel, duplicate id


def test_all_distinct_sorted_shortcut():
    s = pd.Series(["a", "b", "c"], dtype="str")
    assert _all_distinct(s)
    assert not _all_distinct(pd.Series(["a", "b", "b"], dtype="str"))
    assert not _all_distinct(pd.Series(["b", "a", "b"], dtype="str"))
    assert _all_distinct(pd.Series(["b", "a", "c"], dtype="str"))



@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["oui", "non", " Oui ", "1", "0.0", "x", "", "  ", None, "true", "FAUX",
                                 "phone", "tel", "Téléphone", "mail", "fax"]), min_size=1, max_size=12),
       st.integers(1200, 3000))
def test_few_distinct_text_parsed_once_per_value_same_result(cells, n):
    """A CSV column of few distinct values is parsed per distinct value (``as_categorical``):
    same values and same bad cells as cell by cell."""
    import cxtoolkit.io.parse as P
    from cxtoolkit.io.parse import parse_bool

    s = pd.Series((cells * (n // len(cells) + 1))[:n], dtype="str", index=range(5, 5 + n))
    col = next(c for c in CONTACTS.columns if c.name == "channel")
    assert isinstance(P.as_categorical(s).dtype, pd.CategoricalDtype)
    fast = [parse_bool(s), parse_category(s, col)]
    saved, P.FEW_DISTINCT = P.FEW_DISTINCT, -1.0
    try:
        slow = [parse_bool(s), parse_category(s, col)]
    finally:
        P.FEW_DISTINCT = saved
    for (v1, b1), (v2, b2) in zip(fast, slow):
        assert list(pd.Series(v1).astype(object).fillna("NA")) == list(pd.Series(v2).astype(object).fillna("NA"))
        assert str(pd.Series(v1).dtype) == str(pd.Series(v2).dtype)
        assert b1.tolist() == b2.tolist()
