"""The privacy guard never bends a number (issue 17 item 2), masks ids typed inside a text
and the rejects file of ``validate`` (item 3)."""
from __future__ import annotations

import pandas as pd
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

from cxtoolkit.audit.runner import _PrivacyGuard
from cxtoolkit.cli.main import app
from cxtoolkit.io import neutralise_formulas
from cxtoolkit.privacy import pseudonym

KEY = "numbers-test-key"
# the rows of a demo audit's kpis_status.csv that the guard bent
STATUS = pd.DataFrame({
    "key": ["inbound", "chat_first_response_s_mean_agent", "chat_within_60s_agent", "nps", "top2", "too_few"],
    "label": ["Appels entrants", "Délai (s)", "Chats pris sous 60 s", "NPS", 'Satisfaction "top-2"', "Trop peu"],
    # 15-digit decimals that pass the Luhn check, a negative number, a boolean: a mixed column
    "value": ["130534", "24.690736625851781", "0.439729815061622", "-0.11606698723263141", "1e-05", "False"],
    "unit": ["count", "seconds", "ratio", "nps", "ratio", "count"]})


def _guarded(tmp_path, frame: pd.DataFrame, ids=frozenset()) -> pd.DataFrame:
    path = tmp_path / "export.csv"
    frame.to_csv(path, index=False)
    _PrivacyGuard(frozenset(ids)).csv_exports(tmp_path)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_numbers_in_a_mixed_column_are_published_as_they_are(tmp_path, monkeypatch):
    monkeypatch.setenv("CXTOOLKIT_PSEUDONYM_KEY", KEY)
    back = _guarded(tmp_path, STATUS)
    assert back["value"].tolist() == STATUS["value"].tolist()
    assert pd.to_numeric(back["value"].iloc[:-1]).notna().all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=64), min_size=1, max_size=20),
       st.lists(st.integers(min_value=-10**12, max_value=10**12), min_size=1, max_size=5))
def test_any_number_survives_the_guard(tmp_path_factory, floats, ints):
    values = [repr(x) for x in floats] + [str(i) for i in ints] + ["Appels entrants", "=1+1"]
    back = _guarded(tmp_path_factory.mktemp("n"), pd.DataFrame({"value": values}))
    assert back["value"].tolist()[:-2] == values[:-2]
    assert back["value"].tolist()[-1] == "'=1+1"        # a formula is still neutralised


def test_an_id_typed_inside_a_comment_is_pseudonymised(tmp_path, monkeypatch):
    monkeypatch.setenv("CXTOOLKIT_PSEUDONYM_KEY", KEY)
    frame = pd.DataFrame({"examples": ["['mon numéro client est K0042424, merci']", "K0042424"], "n": [1, 2]})
    back = _guarded(tmp_path, frame, {"K0042424"})
    assert "K0042424" not in back.to_csv()
    assert pseudonym("K0042424", KEY.encode()) in back["examples"].iloc[0]


def test_validate_publishes_rejects_masked(tmp_path, monkeypatch, client_folder):
    monkeypatch.setenv("CXTOOLKIT_PSEUDONYM_KEY", KEY)
    yml = client_folder("acme", {"name": "Acme", "locale": "en", "data": {"contacts": "contacts.csv"}}, {
        "contacts.csv": "contact_id;customer_id;channel;received_at;answered;wait_s\n"
                        "c1;K1;tel;01/03/2024 09:00;oui;10\n"
                        "c2;K2;jean.plantard@gmail.com;01/03/2024 09:05;oui;10\n"
                        "c3;K3;Mme Dupontel 06 12 34 56 78;01/03/2024 09:05;oui;10\n"
                        "c4;;tel;01/03/2024 09:05;oui;-4,5\n"}, root=tmp_path)
    res = CliRunner().invoke(app, ["validate", "--config", str(yml), "--out", str(tmp_path / "v")])
    assert res.exit_code == 1, res.output
    text = (tmp_path / "v" / "rejects.csv").read_text(encoding="utf-8-sig")
    for secret in ("plantard", "Dupontel", "06 12 34 56 78"):
        assert secret not in text
    assert "[EMAIL]" in text and "[PHONE]" in text
    assert ",-4,5," in text or ',"-4,5",' in text                # a number, never quoted


def test_neutralise_formulas_never_quotes_a_number():
    out = neutralise_formulas(pd.DataFrame({"v": ["-4,5", "-0.116", "-2+3", "=1", "ok", None]}))
    assert out["v"].tolist()[:5] == ["-4,5", "-0.116", "'-2+3", "'=1", "ok"]
