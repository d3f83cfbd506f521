"""Reading only the Parquet columns a command uses (``needed``): the same rows accepted and
rejected, the same rejects, blanked cells and warnings, the same figures, also when client.yml
renames the export's headers (mappings) — only the unused free-text columns are left unread."""
import numpy as np
import pandas as pd
import pytest

from cxtoolkit.config import ClientConfig
from cxtoolkit.io.loader import load_table_detailed
from cxtoolkit.io.mapping import projection, read_mapped
from cxtoolkit.kpis import compute_many
from cxtoolkit.kpis.contacts import COLUMNS
from cxtoolkit.schemas import CONTACTS

NOW = pd.Timestamp("2030-01-01")


def _export(path, headers: dict[str, str] | None = None) -> None:
    rng = np.random.default_rng(3)
    n = 400
    df = pd.DataFrame({
        "contact_id": [f"c{i}" for i in range(n)],
        "customer_id": rng.choice(["k1", "k2", "k3", None], n),
        "channel": pd.Categorical(rng.choice(["phone", "email", "chat", "fax", "tel"], n)),
        "received_at": pd.Timestamp("2026-05-04 08:00") + pd.to_timedelta(rng.integers(0, 40 * 86400, n), unit="s"),
        "answered": rng.random(n) < 0.8,
        "wait_s": np.where(rng.random(n) < 0.05, np.nan, rng.exponential(40, n)),
        "talk_s": np.where(rng.random(n) < 0.05, -3.0, rng.exponential(200, n)),   # blanked cells
        "handled_by": pd.Categorical(rng.choice(["agent", "bot", "robot", None], n)),
        "team": pd.Categorical(rng.choice(["A", "B", " ", None], n)),
        "queue": rng.choice(["x", "y"], n),
        "notes": rng.choice(["free", "text", "1,5"], n),
        "score_extra": rng.random(n),
    })
    df.loc[7, "contact_id"] = "c3"   # a duplicate id
    df.loc[9, "received_at"] = pd.Timestamp("2031-01-01")   # in the future
    if headers:
        df = df.rename(columns=headers)
    df.to_parquet(path, index=False)


HEADERS = {"contact_id": "Call Id", "received_at": "Date appel", "answered": "Décroché", "team": "Equipe"}
SOURCE = {"columns": {"contact_id": "Call Id", "received_at": "Date appel", "answered": "Décroché",
                      "team": "Equipe"}}


@pytest.mark.parametrize("mapped", [False, True])
def test_needed_columns_same_validation_and_kpis(tmp_path, mapped):
    path = tmp_path / "contacts.parquet"
    _export(path, HEADERS if mapped else None)
    source = SOURCE if mapped else None
    full = load_table_detailed(path, "contacts", now=NOW, source=source)
    part = load_table_detailed(path, "contacts", now=NOW, source=source, needed=set(COLUMNS))
    (a_ok, a_rej, a_counts, a_det), (b_ok, b_rej, b_counts, b_det) = full, part
    # the unused free-text columns are not read (a header client.yml names is always read) ...
    unused = {"queue", "notes", "score_extra"} | (set() if mapped else {"team"})
    assert unused <= set(a_ok.columns)
    assert not unused & set(b_ok.columns)
    # ... and nothing else changes
    pd.testing.assert_frame_equal(a_rej, b_rej)
    assert a_counts == b_counts and a_counts["rejected"] > 0
    assert a_det == b_det and a_det["blanked"] > 0
    pd.testing.assert_frame_equal(a_ok[list(b_ok.columns)], b_ok)
    cfg = ClientConfig(client="x")
    ka = compute_many(a_ok, cfg=cfg)["overall"]
    kb = compute_many(b_ok, cfg=cfg)["overall"]
    pd.testing.assert_frame_equal(ka, kb)


def test_needed_keeps_segment_asked_for(tmp_path):
    path = tmp_path / "contacts.parquet"
    _export(path, HEADERS)
    raw = read_mapped(path, "contacts", SOURCE, needed=set(COLUMNS) | {"team"})[0]
    assert "team" in raw.df.columns and "queue" not in raw.df.columns


def test_projection_keeps_text_when_a_number_is_text():
    """A numeric column written as text: its comma style is decided from every text column,
    so no text column is left out."""
    names = ["contact_id", "channel", "received_at", "answered", "wait_s", "notes", "team"]
    keep = projection(names, {"contact_id", "wait_s", "notes", "team"}, CONTACTS, None, set(COLUMNS))
    assert keep == ["contact_id", "channel", "received_at", "answered", "wait_s", "notes"]


def test_projection_none_when_a_required_column_is_missing():
    assert projection(["contact_id", "channel", "team"], {"team"}, CONTACTS, None, set(COLUMNS)) is None
