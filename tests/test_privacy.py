import os
import stat

import pandas as pd
from hypothesis import given, strategies as st

from cxtoolkit.privacy import pseudonym, pseudonym_key, pseudonymise


def test_keyed_stable_and_key_dependent():
    assert pseudonym("C1", b"a") == pseudonym("C1", b"a")
    assert pseudonym("C1", b"a") != pseudonym("C1", b"b")
    assert pseudonym("C1", b"a").startswith("p_") and len(pseudonym("C1", b"a")) == 18


def test_frame_not_mutated_and_ids_gone():
    df = pd.DataFrame({"customer_id": ["C1", "C2", "C1", None], "x": [1, 2, 3, 4]})
    out = pseudonymise(df, key=b"k")
    assert list(df["customer_id"].iloc[:3]) == ["C1", "C2", "C1"]
    assert not out["customer_id"].isin(["C1", "C2"]).any()
    assert out["customer_id"].iloc[0] == out["customer_id"].iloc[2]
    assert out["customer_id"].isna().tolist() == [False, False, False, True]
    assert out["x"].tolist() == [1, 2, 3, 4]


def test_key_file_created_private(tmp_path, monkeypatch):
    monkeypatch.delenv("CXTOOLKIT_PSEUDONYM_KEY", raising=False)
    f = tmp_path / "k" / "pseudonym.key"
    k1 = pseudonym_key(f)
    assert stat.S_IMODE(os.stat(f).st_mode) == 0o600
    assert pseudonym_key(f) == k1 and len(k1) == 64
    monkeypatch.setenv("CXTOOLKIT_PSEUDONYM_KEY", "from-env")
    assert pseudonym_key(f) == b"from-env"


@given(st.lists(st.one_of(st.none(), st.text(min_size=1, max_size=8)), max_size=40))
def test_one_to_one_on_distinct_ids(ids):
    df = pd.DataFrame({"customer_id": pd.array(ids, dtype="string")})
    out = pseudonymise(df, key=b"k")["customer_id"]
    src = df["customer_id"]
    assert out.isna().tolist() == src.isna().tolist()
    assert out.dropna().nunique() == src.dropna().nunique()


_reject_value = st.one_of(st.none(), st.sampled_from(["n/a", "maybe", "2024-02-31 10:00:00", "jo@x.fr",
                                                      "tel 07700 900123", "K001", "", "My name is John Smith"]),
                          st.text(max_size=12))


@given(values=st.lists(_reject_value, min_size=1, max_size=15),
       columns=st.lists(st.sampled_from(["wait_s", "customer_id", "channel"]), min_size=15, max_size=15))
def test_rejects_masked_once_per_distinct_value_as_row_by_row(values, columns):
    """Each distinct value of the rejects is masked once (a 1M-row file's rejects repeat a few
    values: ``n/a`` 1,000 times), and every row gets what masking it alone gives."""
    from cxtoolkit.privacy import mask_rejects

    rej = pd.DataFrame({"table": "contacts", "file": "c.csv", "row": range(2, 2 + len(values)),
                        "column": columns[:len(values)], "value": values, "reason": "r"})
    got = mask_rejects(rej, key=b"k")["value"].tolist()
    alone = [mask_rejects(rej.iloc[[i]], key=b"k")["value"].iloc[0] for i in range(len(rej))]
    assert [None if pd.isna(v) else v for v in got] == [None if pd.isna(v) else v for v in alone]


def test_rejects_values_go_through_the_masking_once_each(monkeypatch):
    import cxtoolkit.pii as pii
    from cxtoolkit.privacy import mask_rejects

    seen = []
    real = pii.mask_pii
    monkeypatch.setattr(pii, "mask_pii", lambda s, *a, **k: seen.append(len(s)) or real(s, *a, **k))
    rej = pd.DataFrame({"table": "contacts", "file": "c.csv", "row": range(2, 3002), "column": "wait_s",
                        "value": ["n/a", "maybe", None] * 1000, "reason": "r"})
    out = mask_rejects(rej, key=b"k")
    assert seen == [2] and out["value"].tolist()[:3] == ["n/a", "maybe", pd.NA]
