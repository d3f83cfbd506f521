"""Masking of what a customer should never see quoted back: a card typed with a wrong
digit, national identity numbers (French NIR, British NI, US SSN), any phone number
libphonenumber recognises, a name signed under a comment (cxtoolkit.pii)."""
import re

import phonenumbers
import pytest
from hypothesis import given, settings, strategies as st

from cxtoolkit.pii import mask_text, nir_valid

MUST_MASK = [
    # printed as a card (four groups of four): masked even when the Luhn check fails (a
    # mistyped card still gives away 15 of its 16 digits)
    ("ma carte 4970 1012 3456 7890 a été débitée deux fois", "[CARD]", "4970"),
    ("carte bleue 4970-1012-3456-7890", "[CARD]", "4970"),
    ("card 4970.1012.3456.7890 charged twice", "[CARD]", "4970"),
    # French social security number: in its seven groups, or 15 digits with a valid key
    ("Mon numéro de sécu : 1 85 05 78 006 084 36", "[ID]", "006 084"),
    ("n° de sécurité sociale 185057800608491", "[ID]", "1850578"),
    ("NIR 2 69 05 2A 123 456 88, Ajaccio", "[ID]", "123 456"),
    ("mon NIR 269052A12345688", "[ID]", "2A123"),
    # British National Insurance, US Social Security
    ("my NI number is AB 12 34 56 C", "[ID]", "34 56"),
    ("NINO: AB123456C", "[ID]", "123456"),
    ("my SSN is 078-05-1120", "[ID]", "1120"),
]

MUST_KEEP = [
    "référence 4970101234567890",            # a run of digits: a card only if Luhn-valid
    "commande 185057800608436",               # 15 digits, NIR key wrong, not in groups
    "référence 1234567890123",
    "SSN-like 000-12-3456 is not a number the SSA issues",
    "pièce 123-45-67890",
    "code GB12 3456 AB",
]


@pytest.mark.parametrize("text,tag,gone", MUST_MASK)
def test_identity_numbers_and_printed_cards_are_masked(text, tag, gone):
    out = mask_text(text, ("FR",))
    assert tag in out and gone not in out, out


@pytest.mark.parametrize("text", MUST_KEEP)
def test_other_numbers_stay(text):
    assert mask_text(text, ("FR",)) == text


def test_nir_key_known_answers():
    # 97 - (1850578006084 mod 97) = 91; Corsica 2A counts as 19: 97 - (2690519123456 mod 97) = 88
    assert nir_valid("1 85 05 78 006 084 91") and nir_valid("269052A12345688")
    assert not nir_valid("185057800608436") and not nir_valid("1850578006084")


@st.composite
def nir(draw):
    body = (f"{draw(st.sampled_from('12'))}{draw(st.integers(0, 99)):02d}{draw(st.integers(1, 12)):02d}"
            f"{draw(st.sampled_from([f'{d:02d}' for d in range(1, 96) if d != 20] + ['2A', '2B']))}"
            f"{draw(st.integers(1, 999)):03d}{draw(st.integers(1, 999)):03d}")
    num = int(body.replace("2A", "19").replace("2B", "18"))
    key = f"{97 - num % 97:02d}"
    spaced = draw(st.booleans())
    g = [body[0], body[1:3], body[3:5], body[5:7], body[7:10], body[10:13], key]
    return " ".join(g) if spaced else "".join(g)


@settings(max_examples=200, deadline=None)
@given(nir(), st.sampled_from(["Mon numéro de sécu : {} merci", "NIR {}", "{} est mon numéro de sécurité sociale"]))
def test_any_valid_nir_is_masked(number, sentence):
    out = mask_text(sentence.format(number), ("FR",))
    assert "[ID]" in out and not re.search(r"\d{3}", out), out


@st.composite
def phone(draw):
    """A valid phone number of FR, GB, ES or US (libphonenumber's example with its last
    digits drawn), in one of the ways customers write them."""
    region = draw(st.sampled_from(["FR", "GB", "ES", "US"]))
    kind = draw(st.sampled_from([phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]))
    ex = phonenumbers.example_number_for_type(region, kind)
    national = str(ex.national_number)
    tail = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    num = phonenumbers.parse(national[:-3] + tail, region)
    if not phonenumbers.is_valid_number(num):
        num = ex
    fmt = draw(st.sampled_from([phonenumbers.PhoneNumberFormat.NATIONAL, phonenumbers.PhoneNumberFormat.INTERNATIONAL,
                                phonenumbers.PhoneNumberFormat.E164]))
    return phonenumbers.format_number(num, fmt)


@settings(max_examples=300, deadline=None)
@given(phone(), st.sampled_from(["rappelez-moi au {} svp", "Call me back on {}.", "tel:{}", "mon numéro ({}) merci",
                                 "llámeme al {}, gracias"]))
def test_a_masked_text_holds_no_number_libphonenumber_finds_valid(number, sentence):
    out = mask_text(sentence.format(number), ("FR",))
    for region in ("FR", "GB", "ES", "US"):
        found = [m.raw_string for m in phonenumbers.PhoneNumberMatcher(out, region, leniency=phonenumbers.Leniency.VALID)]
        assert found == [], (out, region, found)


@pytest.mark.parametrize("text,gone", [
    ("Colis jamais reçu. Cordialement, Marie Durand", "Durand"),
    ("Facture fausse.\nBien cordialement,\nJean-Pierre Martin", "Martin"),
    ("Bien à vous, Élodie Lefèvre", "Lefèvre"),
    ("Meilleures salutations\nPierre de la Fontaine", "Fontaine"),
    ("Still waiting. Kind regards, John Smith", "Smith"),
    ("Yours sincerely, Jane Doe-Smith", "Doe"),
    ("Atentamente, María López", "López"),
])
def test_a_signature_after_closing_words_is_masked(text, gone):
    out = mask_text(text)
    assert "[NAME]" in out and gone not in out, out


@pytest.mark.parametrize("text", [
    "Cordialement.", "Salutations distinguées.", "Cordialement, un client mécontent",
    "Regards. The delivery was late", "with regards to the refund",
])
def test_closing_words_without_a_name_stay(text):
    assert mask_text(text) == text


@pytest.mark.parametrize("text,gone", [
    ("M Dupont m'a répondu très sèchement", "Dupont"),
    ("Merci à M Martin du service client", "Martin"),
    ("Mme Dupont et M Durand ont appelé", "Durand"),
])
def test_monsieur_typed_without_its_dot_is_a_civility(text, gone):
    out = mask_text(text)
    assert "[NAME]" in out and gone not in out and "M [NAME]" in out, out


@pytest.mark.parametrize("text", ["j'ai vu M6 hier", "5 m de câble", "I'm fine", "m dupont"])
def test_a_lone_m_is_no_civility(text):
    assert mask_text(text) == text
