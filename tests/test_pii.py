"""Masking of personal data in verbatims (cxtoolkit.pii)."""
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from cxtoolkit.pii import luhn_valid, mask_pii, mask_text

MUST_MASK = [
    ("écrivez à jean.dupont@gmail.com svp", "[EMAIL]"),
    ("mon numéro +33 6 12 34 56 78", "[PHONE]"),
    ("rappel au 06.12.34.56.78 demain", "[PHONE]"),
    ("tel 0612345678", "[PHONE]"),
    ("call +44 20 7946 0958 please", "[PHONE]"),
    ("my mobile 07700 900123", "[PHONE]"),
    ("llame al +34 612 345 678", "[PHONE]"),
    ("o al 612 345 678", "[PHONE]"),
    ("0033 6 12 34 56 78", "[PHONE]"),
    ("IBAN FR76 3000 6000 0112 3456 7890 189 merci", "[IBAN]"),
    ("FR7630006000011234567890189", "[IBAN]"),
    ("carte 4111 1111 1111 1111 débitée", "[CARD]"),
    ("card 4111-1111-1111-1111", "[CARD]"),
    ("Bonjour, je m'appelle Jean Dupont et", "[NAME]"),
    ("Hi, my name is John Smith.", "[NAME]"),
    ("Hola, me llamo María García", "[NAME]"),
    ("mi nombre es Pedro", "[NAME]"),
    ("je m'appelle jean dupont et j'attends", "[NAME]"),      # typed in lower case
    ("my name is john smith and I waited", "[NAME]"),
]

MUST_KEEP = [
    "commande 123456 non reçue",
    "livré le 12/05/2026 au lieu du 10/05/2026",
    "payé 49,99 € pour rien",
    "client depuis 2019, en 2026 ça ne va plus",
    "3 appels, 15 minutes d'attente",
    "le 12.05.2026 à 14h30",
    "prix 1 299 € et 1 000 250 € de CA",
    "numéro de suivi 1Z999AA10123456784",
    "référence 4111111111111112 (Luhn invalide)",     # a run of digits: Luhn-checked
    "référence 1234567890123",
]


@pytest.mark.parametrize("text,tag", MUST_MASK)
def test_masks_personal_data(text, tag):
    out = mask_text(text)
    assert tag in out
    # the digits / address themselves are gone
    assert "@" not in out and "1111 1111" not in out and "3000 6000" not in out
    assert not any(w.lower() in out.lower() for w in ("Dupont", "Smith", "García", "Pedro", "612 345", "7946"))


@pytest.mark.parametrize("text", MUST_KEEP)
def test_does_not_over_mask(text):
    assert mask_text(text) == text


def test_whole_column_keeps_index_and_missing_and_does_not_mutate():
    s = pd.Series(["a@b.fr", None, "ok"], index=[10, 20, 30])
    before = s.copy()
    out = mask_pii(s)
    assert out.index.tolist() == [10, 20, 30]
    assert out.iloc[0] == "[EMAIL]" and pd.isna(out.iloc[1]) and out.iloc[2] == "ok"
    pd.testing.assert_series_equal(s, before)


def test_any_index_even_with_duplicate_labels_comes_back_as_it_was():
    """Rows are masked by position: a column whose index repeats labels (frames put end to
    end) is masked, not refused ("cannot align with an object that has duplicate labels")."""
    s = pd.Series(["a@b.fr", "c@d.fr", "tel 06 12 34 56 78", "tel 07 12 34 56 78", "ok", None],
                  index=[3, 3, 1, 1, 2, 2])
    out = mask_pii(s)
    assert out.index.tolist() == [3, 3, 1, 1, 2, 2]
    assert out.iloc[:5].tolist() == ["[EMAIL]", "[EMAIL]", "tel [PHONE]", "tel [PHONE]", "ok"] and pd.isna(out.iloc[5])


def test_luhn():
    assert luhn_valid("4111111111111111") and luhn_valid("5500 0000 0000 0004")
    assert not luhn_valid("4111111111111112") and not luhn_valid("123")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abcdefghij éà,.!?'", max_size=60))
def test_text_without_digits_or_at_is_untouched(text):
    # no digits, no @, no trigger phrase: nothing to mask
    assert mask_text(text) == text


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=99999))
def test_short_numbers_are_never_masked(n):
    t = f"commande {n} du 01/02/2026 pour {n},50 €"
    assert mask_text(t) == t


# --- date-times rejected by the validation (their value is masked in rejects.csv) ----------

_two = st.integers(0, 99).map(lambda v: f"{v:02d}")
_stamp = st.builds(lambda y, mo, d, h, mi, s: f"{y:04d}-{mo}-{d} {h}:{mi}" + (f":{s}" if s else ""),
                   st.integers(0, 9999), _two, _two, _two, _two, st.one_of(st.none(), _two))


@settings(max_examples=150, deadline=None)
@given(text=_stamp, region=st.sampled_from(["FR", "GB", "ES", "US", "BE", "DE", "IT", "CH", "NL", "IN", "CN",
                                            "BR", "JP", "NU", "SH", "TK", "AU", "CA", "MA", "SN"]))
def test_time_stamps_skipped_as_libphonenumber_skips_them(text, region):
    """A whole date-time skipped before libphonenumber is one it finds no phone in (its own
    time-stamp rule), for any digits: the skip changes no output."""
    import importlib

    pii = importlib.import_module("cxtoolkit.pii")
    regions = tuple(dict.fromkeys([region, "FR", "GB", "ES", "US"]))
    got = pii._phones_lib(text, regions)
    saved = pii._TIME_STAMP
    pii._TIME_STAMP = __import__("re").compile(r"(?!)")   # never matches: libphonenumber reads it
    try:
        assert got == pii._phones_lib(text, regions)
    finally:
        pii._TIME_STAMP = saved


def test_rejected_date_times_do_not_reach_libphonenumber(monkeypatch):
    """1,000 impossible dates quoted in rejects.csv (``2024-02-31 10:00:00``) are not searched
    by libphonenumber (0.2 s in a 1M-row ``cxtoolkit validate``); a phone next to one still is."""
    import phonenumbers

    calls, matcher = [], phonenumbers.PhoneNumberMatcher
    monkeypatch.setattr(phonenumbers, "PhoneNumberMatcher", lambda text, *a, **k: calls.append(text) or matcher(
        text, *a, **k))
    dates = pd.Series([f"2024-02-{d:02d} {h:02d}:00:00" for d in range(28, 32) for h in range(24)], dtype="string")
    assert mask_pii(dates).tolist() == dates.tolist() and calls == []
    assert mask_text("2024-02-31 10:00:00 rappeler le 06 12 34 56 78") == "2024-02-31 10:00:00 rappeler le [PHONE]"
