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
