"""Personal data in the forms customers really type (issue 17 item 3, issue 12 item 7):
each one masked, and the numbers around them left alone."""
from __future__ import annotations

import pytest

from cxtoolkit.pii import mask_pii, mask_text

# (text, tag, what must be gone)
MUST_MASK = [
    ("Mme Dupontel m'a raccroché au nez", "[NAME]", ["Dupontel"]),
    ("M. Martinot n'a jamais rappelé", "[NAME]", ["Martinot"]),
    ("Mr Smithwick was very rude", "[NAME]", ["Smithwick"]),
    ("mr smithwick was very rude", "[NAME]", ["smithwick"]),
    ("la Sra. Fernández Olmedo me atendió", "[NAME]", ["Fernández", "Olmedo"]),
    ("Madame Leclercq-Dubois est formidable", "[NAME]", ["Leclercq"]),
    ("Livrez au 12 bis rue des Lilas, 75011 Paris svp", "[ADDRESS]", ["Lilas", "75011"]),
    ("j'habite 3 avenue Victor Hugo 69003 Lyon", "[ADDRESS]", ["Victor Hugo", "69003"]),
    ("send it to 221B Baker Street, London NW1 6XE please", "[ADDRESS]", ["Baker", "NW1 6XE"]),
    ("my postcode is SW1A 2AA", "[ADDRESS]", ["SW1A 2AA"]),
    ("vivo en Calle Mayor 5, 3º B, 28013 Madrid", "[ADDRESS]", ["Mayor 5", "28013"]),
    ("Avenida de la Constitución 12, 41001 Sevilla", "[ADDRESS]", ["Constitución", "41001"]),
    ("écrivez à jean dot plantard at gmail dot com", "[EMAIL]", ["plantard", "gmail"]),
    ("mail: jean.plantard(at)gmail(dot)com", "[EMAIL]", ["plantard"]),
    ("jean arobase orange point fr", "[EMAIL]", ["orange"]),
    ("maria [at] hotmail [dot] es", "[EMAIL]", ["hotmail"]),
    ("mon iban fr76 3000 6000 0112 3456 7890 189 merci", "[IBAN]", ["3000 6000"]),
    ("iban gb29 nwbk 6016 1331 9268 19", "[IBAN]", ["6016 1331"]),
    ("carte 4111.1111.1111.1111 débitée deux fois", "[CARD]", ["4111.1111"]),
    ("call (020) 7946 0958 after 6", "[PHONE]", ["7946"]),
    ("je m appelle jean dupont et j'attends", "[NAME]", ["jean", "dupont"]),
    ("Hi, my name's Jane Doe.", "[NAME]", ["Jane", "Doe"]),
    ("Hola, me llamo María José García López y sigo esperando", "[NAME]", ["María", "José", "García", "López"]),
    ("Me llamo María del Carmen García de la Fuente.", "[NAME]", ["Carmen", "García", "Fuente"]),
    ("call me at (510) 541-6550", "[PHONE]", ["541-6550"]),
    ("the hotline 1-800-799-0808 is useless", "[PHONE]", ["799-0808"]),
    ("or 510.541.6550 any time", "[PHONE]", ["541.6550"]),
    ("or 510-541-6550 any time", "[PHONE]", ["541-6550"]),
    ("mi móvil es 612345678", "[PHONE]", ["612345678"]),
    ("mein Handy: +49 151 23456789", "[PHONE]", ["23456789"]),
]

MUST_KEEP = [
    "0.123456789012345",
    "24.123456789012345",
    "-0.11606698723263141",
    "Madame la conseillère était parfaite",
    "Monsieur, votre service est lent",
    "I was at home. It was late",
    "I waited 3 days in the Park",
    "Bonjour Madame, merci",
    "ratio 0.7912928933675821 sur 1.3405474817541256",
    "commande 123456 du 12/05/2026",
    "livré le 2026-05-01 12:21:27",
    "60 days to close my account",            # real complaints that looked like an address
    "I waited 3 hours on the road",
    "2 cours de maths annulés",
    "5 ms latency, Monsieur gentil",
]


@pytest.mark.parametrize("text,tag,gone", MUST_MASK)
def test_masks_the_forms_customers_type(text, tag, gone):
    out = mask_text(text)
    assert tag in out, out
    for g in gone:
        assert g.lower() not in out.lower(), out


@pytest.mark.parametrize("text", MUST_KEEP)
def test_leaves_numbers_and_ordinary_words_alone(text):
    assert mask_text(text) == text


def test_client_country_phone_numbers():
    # a Belgian mobile, valid only for BE: found when the client's country is given
    assert "[PHONE]" in mask_text("gsm 0470 12 34 56 svp", regions=("BE",))


def test_iban_checksum():
    from cxtoolkit.pii import iban_valid

    assert iban_valid("GB29 NWBK 6016 1331 9268 19") and not iban_valid("GB29 NWBK 6016 1331 9268 18")


def test_column_with_every_form_is_masked_in_one_pass():
    texts = [t for t, _, _ in MUST_MASK] + MUST_KEEP + [None]
    out = mask_pii(__import__("pandas").Series(texts, dtype="string"))
    assert out.iloc[len(MUST_MASK):-1].tolist() == MUST_KEEP and out.isna().iloc[-1]
    assert all(tag in o for o, (_, tag, _) in zip(out, MUST_MASK))
