"""Masking of personal data in free-text comments (verbatims) before anyone reads them.

Verbatims are masked **first**, before theme tagging, examples or exports, so no report
ever quotes an e-mail address, a phone number, a bank account, a card number or a name a
customer typed into a survey. Each kind of data is replaced by a fixed tag:

============  =====================================================================
tag           what is replaced
============  =====================================================================
``[EMAIL]``   e-mail addresses
``[IBAN]``    IBANs (two letters, two check digits, 11–30 letters/digits, spaced or not)
``[CARD]``    payment card numbers: 13–19 digits (spaces or dashes allowed) that pass
              the Luhn check
``[PHONE]``   phone numbers: international (``+33 6 12 34 56 78``, ``+44 20 7946 0958``,
              ``+34 612 345 678``, ``0033…``), French (``06 12 34 56 78``,
              ``06.12.34.56.78``, ``0612345678``), UK (``07700 900123``,
              ``020 7946 0958``), Spanish (``612 345 678``)
``[NAME]``    the words after "je m'appelle", "my name is", "me llamo", "mi nombre es"
              (capitalised words, up to three)
============  =====================================================================

What is deliberately **not** masked: order numbers (``commande 123456``), dates
(``12/05/2026``), amounts (``49,99 €``), years and other short numbers.

Masking is vectorised: one ``Series.str.replace`` over the whole column per pattern
(only the card pattern calls a small Python function, and only on candidate matches, to
run the Luhn check).

Examples
--------
>>> mask_text("Rappelez-moi au 06.12.34.56.78 ou jean.dupont@mail.fr")
'Rappelez-moi au [PHONE] ou [EMAIL]'
>>> mask_text("Bonjour, je m'appelle Jean Dupont, commande 123456 du 12/05/2026")
"Bonjour, je m'appelle [NAME], commande 123456 du 12/05/2026"
>>> mask_text("card 4111 1111 1111 1111, not 4111 1111 1111 1112")
'card [CARD], not 4111 1111 1111 1112'
"""
from __future__ import annotations

import re

import pandas as pd

TAGS = ("[EMAIL]", "[IBAN]", "[CARD]", "[PHONE]", "[NAME]")

EMAIL_RE = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"
# IBAN: country code, 2 check digits, then 11-30 alphanumerics in groups of 4 (spaces optional)
IBAN_RE = r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b"
# card candidates: 13-19 digits, optionally separated by single spaces or dashes
CARD_RE = r"(?<![\d+])\d(?:[ \-]?\d){12,18}(?!\d)"
_SEP = r"[ .\-]?"
PHONE_RES = (
    # international: +CC or 00CC followed by 7-13 more digits in groups
    r"(?:\+|(?<![\d.,])\b00(?=[1-9]))\d{1,3}" + r"(?:[ .\-]?\(?0?\)?[ .\-]?\d{1,4}){2,6}(?!\d)",
    # France: 0X XX XX XX XX (spaces, dots, dashes or nothing)
    r"(?<![\d/.,])\b0[1-9](?:" + _SEP + r"\d{2}){4}\b(?![/.,]\d)",
    # UK: 07700 900123, 020 7946 0958, 01632 960 001
    r"(?<![\d/.,])\b0\d{4} ?\d{3} ?\d{3}\b(?![/.,]\d)",
    r"(?<![\d/.,])\b0\d{2,3} \d{3,4} \d{4}\b(?![/.,]\d)",
    # Spain: 612 345 678 / 912 34 56 78 (separators required, so plain numbers stay)
    r"(?<![\d/.,])\b[6789]\d{2}[ .](?:\d{3}[ .]\d{3}|\d{2}[ .]\d{2}[ .]\d{2})\b(?![/.,]\d)",
    r"(?<![\d/.,])\b[89]\d [ .]?\d{3}[ .]\d{2}[ .]\d{2}\b(?![/.,]\d)",
)
#: words that end a name typed after the trigger phrase ("je m'appelle jean dupont et ...")
_NAME_STOP = (r"et|and|y|e|je|j|i|mais|but|pero|de|du|des|la|le|les|el|los|las|con|with|from|of|por|pour|"
              r"par|suis|am|soy|estoy|est|is|es|was|in|en|au|a|al|the|un|une|an|client|cliente|customer|"
              r"since|depuis|desde|who|qui|que|and|to|et|please|merci|gracias|thanks")
_NAME_WORD = r"[A-Za-zÀ-ÖØ-öø-ÿ][\w'’\-]+"
NAME_RE = (
    r"((?i:je m['’]appelle|my name is|me llamo|mi nombre es)\s+)"
    r"(?:(?:M\.|Mr\.?|Mrs\.?|Ms\.?|Mme|Mlle|Sr\.|Sra\.)\s+)?"
    # up to three words, any case (names are often typed in lower case), stopping at a
    # word that cannot be part of a name
    r"(?!(?i:" + _NAME_STOP + r")\b)" + _NAME_WORD
    + r"(?:\s+(?!(?i:" + _NAME_STOP + r")\b)" + _NAME_WORD + r"){0,2}"
)


def luhn_valid(digits: str) -> bool:
    """Luhn checksum of a digit string (separators ignored).

    >>> luhn_valid("4111 1111 1111 1111"), luhn_valid("4111111111111112")
    (True, False)
    """
    ds = [int(c) for c in digits if c.isdigit()]
    if len(ds) < 13:
        return False
    total = 0
    for i, d in enumerate(reversed(ds)):
        if i % 2 == 1:
            d = d * 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _card_repl(m: re.Match) -> str:
    s = m.group(0)
    return "[CARD]" if luhn_valid(s) else s


def mask_pii(text: pd.Series) -> pd.Series:
    """Return a new Series with e-mails, IBANs, card numbers, phones and names masked.

    Parameters
    ----------
    text : pandas.Series
        Free-text comments (any dtype; missing values stay missing).

    Returns
    -------
    pandas.Series
        Same index, string dtype, personal data replaced by the tags of :data:`TAGS`.

    Examples
    --------
    >>> s = pd.Series(["mail: a.b@c.com", None, "tel +44 20 7946 0958"])
    >>> mask_pii(s).tolist()
    ['mail: [EMAIL]', nan, 'tel [PHONE]']
    """
    s = text.astype("string") if not isinstance(text.dtype, pd.StringDtype) else text
    if s.empty:
        return s.copy()
    # each pattern runs only on candidate rows found by a cheap pre-filter (pyarrow kernels)
    has_at = s.str.contains("@", regex=False).fillna(False)
    if bool(has_at.any()):
        s = s.mask(has_at, s[has_at].str.replace(EMAIL_RE, "[EMAIL]", regex=True))
    has_lead = s.str.lower().str.contains(r"appelle|my name is|me llamo|mi nombre es", regex=True).fillna(False)
    if bool(has_lead.any()):
        s = s.mask(has_lead, s[has_lead].str.replace(NAME_RE, r"\1[NAME]", regex=True))
    # the numeric patterns only need to run on rows holding at least 7 digits
    has_digits = s.str.count(r"[0-9]").fillna(0) >= 7
    if bool(has_digits.any()):
        sub = s[has_digits]
        sub = sub.str.replace(IBAN_RE, "[IBAN]", regex=True)
        sub = sub.str.replace(CARD_RE, _card_repl, regex=True)
        for pat in PHONE_RES:
            sub = sub.str.replace(pat, "[PHONE]", regex=True)
        s = s.mask(has_digits, sub)
    return s


def mask_text(text: str) -> str:
    """Mask one string (convenience wrapper over :func:`mask_pii`).

    >>> mask_text("My name is John Smith, call 07700 900123")
    'My name is [NAME], call [PHONE]'
    """
    return str(mask_pii(pd.Series([text], dtype="string")).iloc[0])
