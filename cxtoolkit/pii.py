"""Masking of personal data in free-text comments (verbatims) before anyone reads them.

Verbatims are masked **first**, before theme tagging, examples or exports, so no report
ever quotes an e-mail address, a phone number, a bank account, a card number, a postal
address or a name a customer typed into a survey. Each kind of data is replaced by a
fixed tag:

=============  ====================================================================
tag            what is replaced
=============  ====================================================================
``[EMAIL]``    e-mail addresses, also written out (``jean dot plantard at gmail dot
               com``, ``jean(at)mail(point)fr``, ``arobase``, ``arroba``)
``[IBAN]``     IBANs (two letters, two check digits, 11–30 letters/digits, spaced or
               not, any case; lower-case ones when they hold ten digits or pass the
               mod-97 check)
``[CARD]``     payment card numbers: 13–19 digits, plain or in groups (spaces, dots or
               dashes), that pass the Luhn check, and any 16 digits printed as a card
               is (four groups of four: ``4970 1012 3456 7890``), a mistyped card being
               still a card — never the decimals of a number (``0.123456789012345``)
``[ID]``       national identity numbers: French social security numbers (NIR: ``1 85 05
               78 006 084 91``, in its seven groups or with a valid key), British
               National Insurance numbers (``AB 12 34 56 C``), US Social Security
               numbers (``078-05-1120``)
``[PHONE]``    phone numbers: international (``+33 6 12 34 56 78``, ``+44 20 7946 0958``,
               ``0033…``), French (``06 12 34 56 78``, ``06.12.34.56.78``), UK
               (``07700 900123``, ``020 7946 0958``, ``(020) 7946 0958``), Spanish
               (``612 345 678``), North American (``(510) 541-6550``, ``1-800-799-0808``,
               ``510.541.6550``); then any number libphonenumber (``phonenumbers``) finds
               valid for the client's country or FR, GB, ES, US
``[NAME]``     the words after "je m'appelle" / "je m appelle", "my name is" / "my
               name's", "me llamo", "mi nombre es", "mon nom est" (up to five words,
               with particles: ``María José García de la Fuente``), and after a
               civility (``Mme``, ``M.`` or ``M``, ``Mr``, ``Mrs``, ``Madame``, ``Monsieur``,
               ``Sra.``, ``Señor``…), and a signature after a letter's closing words
               (``Cordialement, Marie Durand``, ``Kind regards, John``, ``Atentamente,
               María López``); the civility and the closing words are kept
``[ADDRESS]``  street addresses with their postcode and town: French (``12 bis rue des
               Lilas, 75011 Paris``), British (``221B Baker Street, London NW1 6XE``
               and any British postcode), Spanish (``Calle Mayor 5, 3º B, 28013 Madrid``)
=============  ====================================================================

What is deliberately **not** masked: order numbers (``commande 123456``), dates
(``12/05/2026``), amounts (``49,99 €``), years and other short numbers.

Masking is vectorised: one ``Series.str.replace`` over the rows that may hold each kind of
data (found by a cheap pre-filter); only the card / IBAN checksums and the libphonenumber
pass call Python per match, and only on rows that still hold a run of seven digits.

Examples
--------
>>> mask_text("Rappelez-moi au 06.12.34.56.78 ou jean.dupont@mail.fr")
'Rappelez-moi au [PHONE] ou [EMAIL]'
>>> mask_text("Bonjour, je m'appelle Jean Dupont, commande 123456 du 12/05/2026")
"Bonjour, je m'appelle [NAME], commande 123456 du 12/05/2026"
>>> mask_text("card 4111 1111 1111 1111 or 4111 1111 1111 1112, not ref 4111111111111112")
'card [CARD] or [CARD], not ref 4111111111111112'
>>> mask_text("Mme Dupontel, 12 rue des Lilas, 75011 Paris, call (510) 541-6550")
'Mme [NAME], [ADDRESS], call [PHONE]'
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

TAGS = ("[EMAIL]", "[IBAN]", "[CARD]", "[ID]", "[PHONE]", "[NAME]", "[ADDRESS]")
#: regions whose phone numbers are looked for besides the client's own country
PHONE_REGIONS = ("FR", "GB", "ES", "US")

_L = r"A-Za-zÀ-ÖØ-öø-ÿ"              # letters of the client languages (fr, en, es)
_UP = r"A-ZÀ-ÖØ-Þ"                   # capital letters
_WORD = rf"[{_L}][\w'’\-]*"           # a word (of a name, a street, a town)
_CAP = rf"[{_UP}][\w'’\-]*"           # a capitalised word

EMAIL_RE = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"
# written out: "jean dot plantard at gmail dot com", "jean(at)mail(point)fr", "arobase", "arroba"
_AT = r"(?:\s*[\[(]\s*(?:at|arobase|arroba)\s*[\])]\s*|\s+(?:at|arobase|arroba)\s+)"
_DOT = r"(?:\s*[\[(]\s*(?:dot|point|punto)\s*[\])]\s*|\s+(?:dot|point|punto)\s+|\.)"
_TLD = r"(?:com|net|org|info|biz|edu|gov|eu|fr|es|uk|de|it|be|ch|lu|nl|pt|ie|us|ca|mx|ar|cat|io)"
_PART = r"[A-Za-z0-9_%+\-]+"
OBFUSCATED_EMAIL_RE = (r"(?i)\b" + _PART + "(?:" + _DOT + _PART + ")*" + _AT
                       + _PART + "(?:" + _DOT + _PART + ")*" + _DOT + _TLD + r"\b")
# IBAN: country code, 2 check digits, then 11-30 alphanumerics in groups of 4 (separators
# optional), any case: lower-case candidates are checked in _iban_repl
IBAN_RE = r"(?i)\b[A-Z]{2}\d{2}(?:[ .\-]?[A-Z0-9]{4}){2,7}(?:[ .\-]?[A-Z0-9]{1,3})?\b"
# card candidates: 13-19 plain digits, or groups of 4 (4-6-5 / 4-6-4 for Amex / Diners)
# with one kind of separator; never the decimals of a number ("0.123456789012345")
CARD_RE = (r"(?<![\d+])(?<!\d[.,])(?:\d{13,19}"
           r"|\d{4}(?P<s>[ .\-])\d{4}(?P=s)\d{4}(?P=s)\d{1,4}(?:(?P=s)\d{1,3})?"
           r"|\d{4}(?P<a>[ .\-])\d{6}(?P=a)\d{4,5})(?!\d)(?![.,]\d)")
#: 16 digits in four groups of four with one separator: the way a card is printed
_CARD_PRINTED = re.compile(r"\d{4}([ .\-])\d{4}\1\d{4}\1\d{4}")
# French social security number (NIR): sex, year, month, department (2A/2B in Corsica),
# commune, order, then its key (checked in _nir_repl), groups spaced or not
NIR_RE = (r"(?<![\d.,])\b[12] ?\d{2} ?(?:0[1-9]|1[0-2]|[2-9]\d) ?(?:\d{2}|2[ABab]) ?\d{3} ?\d{3} ?\d{2}\b(?![.,]\d)")
# US Social Security number, written 3-2-4 with dashes (never 000, 666 or 9xx, 00, 0000)
SSN_RE = r"(?<![\d\-])\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b(?!-\d)"
# British National Insurance number: two letters (not D, F, I, Q, U, V; second not O; not
# BG, GB, NK, KN, NT, TN, ZZ), six digits, A-D
NINO_RE = (r"\b(?!BG|GB|NK|KN|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")
#: a NIR written in its seven groups (1 85 05 78 006 084 36): one even with a wrong key
_NIR_PRINTED = re.compile(r"[12] \d{2} \d{2} (?:\d{2}|2[ABab]) \d{3} \d{3} \d{2}")
_SEP = r"[ .\-]?"
_NB = r"(?<![\d/.,])"                 # not inside a date, a decimal or another number
_NA = r"(?![/.,]\d)"
PHONE_RES = (
    # international: +CC or 00CC followed by 7-13 more digits in groups
    # (8 digits at least: a signed figure such as an NPS "+53.3" is not a phone number)
    r"(?:\+|(?<![\d.,])\b00(?=[1-9]))(?=(?:[ .\-()]{0,3}\d){8})\d{1,3}"
    + r"(?:[ .\-]?\(?0?\)?[ .\-]?\d{1,4}){2,6}(?!\d)",
    # France: 0X XX XX XX XX (spaces, dots, dashes or nothing)
    _NB + r"\b0[1-9](?:" + _SEP + r"\d{2}){4}\b" + _NA,
    # UK: 07700 900123, 020 7946 0958, 01632 960 001, (020) 7946 0958
    _NB + r"\b0\d{4} ?\d{3} ?\d{3}\b" + _NA,
    _NB + r"\b0\d{2,3} \d{3,4} \d{4}\b" + _NA,
    r"(?<![\d(])\(0\d{2,4}\) ?\d{3,4}[ \-]?\d{3,4}\b" + _NA,
    # Spain: 612 345 678 / 912 34 56 78 (separators required, so plain numbers stay)
    _NB + r"\b[6789]\d{2}[ .](?:\d{3}[ .]\d{3}|\d{2}[ .]\d{2}[ .]\d{2})\b" + _NA,
    _NB + r"\b[89]\d [ .]?\d{3}[ .]\d{2}[ .]\d{2}\b" + _NA,
    # North America: (510) 541-6550, 1-800-799-0808, 510.541.6550, 510-541-6550
    r"(?<![\d/.,(])(?:\b1[ .\-])?(?:\([2-9]\d{2}\) ?|\b[2-9]\d{2}[ .\-])[2-9]\d{2}[ .\-]\d{4}\b" + _NA,
)
#: words that end a name typed after a trigger phrase or a civility ("je m'appelle jean dupont et ...")
_NAME_STOP = (r"et|and|y|e|je|j|i|il|elle|mais|but|pero|de|du|des|la|le|les|el|los|las|con|with|from|of|"
              r"por|pour|par|suis|am|soy|estoy|est|is|es|was|in|en|au|a|al|the|un|une|an|client|"
              r"cliente|customer|since|depuis|desde|who|qui|que|to|please|merci|gracias|thanks|"
              r"a|à|était|etait|has|had|m|n|s|t|ne|n'|ma|mon|my|mi|su|sa|son|your|votre")
_NOT_STOP = r"(?!(?i:" + _NAME_STOP + r")\b)"
#: particles inside a long name, kept in the match only before a capitalised word
_PARTICLE = r"(?:(?:de la|de las|de los|del|des|de|du|la|le|y|i|van der|van|von|da|di|dos|das)(?![\w'’])|d['’])"
_NEXT_NAME_WORD = (r"(?:\s+" + _PARTICLE + r"\s*(?=[" + _UP + r"])" + _CAP
                   + r"|\s+" + _NOT_STOP + _WORD + ")")
NAME_RE = (
    r"((?i:je\s+m['’ ]?\s?appelle|my\s+name\s+is|my\s+name['’]s|me\s+llamo|mi\s+nombre\s+es|mon\s+nom\s+est)\s+)"
    r"(?:(?:M\.|Mr\.?|Mrs\.?|Ms\.?|Mme|Mlle|Sr\.|Sra\.)\s+)?"
    # up to five words, any case (names are often typed in lower case), stopping at a
    # word that cannot be part of a name
    + _NOT_STOP + _WORD + _NEXT_NAME_WORD + "{0,4}"
)
# a civility then a name: "Mme Dupontel", "M. Martinot", "mr smithwick", "Señora Ruiz";
# the abbreviations take a name in any case, the full words a capitalised one
_MORE_NAME_WORDS = r"(?:\s+" + _PARTICLE + r"\s*(?=[" + _UP + r"])" + _CAP + r"|\s+" + _CAP + "){0,3}"
CIVILITY_RE = (
    # an abbreviation, then a name in any case: "Mme Dupontel", "M. Martinot", "mr smithwick"
    r"(\b(?:(?i:mme|mlle|mr|mrs)\b\.?|Ms\b\.?|Mmes|Sra\.|Srta\.|Sr\.|Dr\b\.?|(?<![\w.])M\.)\s+)"
    + _NOT_STOP + _WORD + _MORE_NAME_WORDS,
    # a civility in full words, then a capitalised name: "Madame Leclercq", "Señora Ruiz"
    # (and "M" without its dot, as French customers often type it: "M Dupont")
    r"(\b(?:Madame|Monsieur|Mademoiselle|Messieurs|Mesdames|Señora|Señorita|Señor|Miss|Mister|Doña|(?<![\w.'’])M)\s+)"
    + _NOT_STOP + _CAP + _MORE_NAME_WORDS,
)
#: a letter's closing words (FR, EN, ES): what follows them, capitalised, is a signature
_CLOSING = (r"(?:bien\s+)?cordialement|(?:sinc[eè]res\s+|meilleures\s+)?salutations|bien\s+[àa]\s+vous|"
            r"(?:kind|best|warm|warmest)\s+regards|regards|(?:yours\s+)?sincerely|yours\s+(?:faithfully|truly)|"
            r"(?:un\s+)?saludos?|(?:cordiales\s+)?saludos|atentamente")
# a signature: "Cordialement, Marie Durand", "Kind regards,\nJohn Smith", "Atentamente, María López"
SIGNATURE_RE = (r"(\b(?i:" + _CLOSING + r")\s*[,.!]?\s+)" + _NOT_STOP + _CAP + _MORE_NAME_WORDS)
_NOT_POSTCODE = r"(?![A-Z]{1,2}\d)"
# postal addresses (FR, GB, ES): the street with its number, then the postcode and town
_TOWN = _NOT_POSTCODE + _CAP + r"(?:[ \-]" + _NOT_POSTCODE + _CAP + r"){0,2}(?:\s+(?i:cedex)(?:\s+\d{1,2})?)?"
_STREET_WORDS = (r"(?:[ \-]+(?:" + _PARTICLE + r"|l['’]|aux|au|à|\d{1,4}\b|" + _CAP + r")){0,6}"
                 r"(?:[ \-]+" + _NOT_STOP + _WORD + ")?")
_FR_TYPE = (r"(?i:rue|r\.|avenue|av\.?|boulevard|bd|bld|place|pl\.|chemin|all[ée]e|impasse|imp\.|"
            r"route|rte|quai|square|passage|faubourg|fbg|r[ée]sidence|lotissement|"
            r"esplanade|promenade|sentier|rond-point|lieu-dit|parvis|mont[ée]e)")
_GB_POSTCODE = r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[A-Z]{2}\b"
# capitalised only: "60 days to close my account", "3 hours on the road" are no addresses
_GB_TYPE = (r"(?:Street|Road|Avenue|Lane|Drive|Close|Court|Place|Square|Crescent|Terrace|Gardens|Grove|"
            r"Mews|Parade|St|Rd|Ave|Ln|Dr|Ct|Pl|Sq|Cres|Way)\b\.?")
_ES_TYPE = (r"(?i:calle|c/|avenida|avda\.?|plaza|pza\.?|paseo|p[º°]|carrer|camino|carretera|ctra\.?|"
            r"ronda|traves[ií]a|glorieta|rambla|pasaje|urbanizaci[oó]n|urb\.)")
ADDRESS_RES = (
    # FR: 12 bis rue des Lilas, 75011 Paris
    r"\b\d{1,4}(?:\s?(?i:bis|ter|quater|[a-d])\b)?,?\s+" + _FR_TYPE + r"(?![\w])" + _STREET_WORDS
    + r"(?:,?\s+(?:\d{5}|\d{2} \d{3})\s+" + _TOWN + ")?",
    # GB: 221B Baker Street, London NW1 6XE
    r"\b\d{1,4}[A-Za-z]?,?\s+(?:" + _WORD + r"\s+){1,3}" + _GB_TYPE
    + r"(?:,?\s+" + _TOWN + r")?(?:,?\s+" + _GB_POSTCODE + ")?",
    # ES: Calle Mayor 5, 3º B, 28013 Madrid / C/ de Alcalá, 23
    r"\b" + _ES_TYPE + r"\s*" + r"(?:(?:" + _PARTICLE + r"|el|" + _CAP + r")\s+){0,5}" + r"(?:" + _CAP + r")?"
    + r",?\s*(?:n[º°o]\.?\s*)?\d{1,4}[A-Za-z]?\b(?:,?\s*\d{1,2}\s*[º°ª]\s*[A-Za-z]?\b)?(?:,?\s*(?:\d{5}\s+)?" + _TOWN + ")?",
    # any British postcode left
    _GB_POSTCODE,
    # a French / Spanish postcode and town left after an address: ", 75011 Paris"
    r"(?<=\[ADDRESS\])(?:,?\s*(?:\d{5}|\d{2} \d{3})\s+" + _TOWN + ")",
)
#: a run of 7+ digits (phone separators allowed) that is not part of a code (S0000005, 1Z999AA1…)
_PHONE_CANDIDATE = r"(?:^|[^0-9A-Za-z])[0-9](?:[ .()-]{0,2}[0-9]){6,}(?:[^0-9A-Za-z]|$)"
#: pre-filter words (lower case, ASCII-bounded) of the civility and address patterns
_CIVILITY_WORDS = (r"mme|mlle|mmes|mr|mrs|ms|sra\.|srta\.|m\.|m|dr|sr\.|madame|monsieur|mademoiselle|messieurs|"
                   r"mesdames|señora|señorita|señor|miss|mister|doña")
_STREET_WORDS_ASCII = (
    r"rue|r\.|av|av\.|avenue|avenida|avda|boulevard|bd|bld|place|pl|pl\.|chemin|ch\.|all[eé]e|impasse|imp\.|route|"
    r"rte|quai|cours|square|passage|faubourg|fbg|r[eé]sidence|lotissement|hameau|cit[eé]|esplanade|promenade|"
    r"sentier|voie|rond-point|lieu-dit|villa|clos|parvis|mont[eé]e|street|road|lane|drive|close|court|"
    r"crescent|terrace|gardens|grove|mews|parade|st|rd|ave|ln|dr|ct|sq|cres|way|calle|c/|plaza|pza|paseo|"
    r"p[º°]|carrer|camino|carretera|ctra|ronda|traves[ií]a|glorieta|rambla|pasaje|urbanizaci[oó]n|urb")


def _word_in(words: str) -> str:
    """A pattern finding one of ``words`` (an alternation) as a whole word, in ASCII classes."""
    return "(?:^|[^a-z0-9])(?:" + words + ")(?:[^a-z0-9]|$)"


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


def iban_valid(text: str) -> bool:
    """ISO 13616 mod-97 check of an IBAN (separators and case ignored).

    >>> iban_valid("fr76 3000 6000 0112 3456 7890 189"), iban_valid("FR7630006000011234567890188")
    (True, False)
    """
    s = re.sub(r"[^0-9A-Za-z]", "", text).upper()
    if len(s) < 15 or not s[:2].isalpha() or not s[2:4].isdigit():
        return False
    return int("".join(str(int(c, 36)) for c in s[4:] + s[:4])) % 97 == 1


def nir_valid(text: str) -> bool:
    """Key check of a French social security number (NIR): 97 − (the 13 digits mod 97),
    2A / 2B counted as 19 / 18 (separators and case ignored).

    >>> nir_valid("1 85 05 78 006 084 91"), nir_valid("185057800608436"), nir_valid("2 69 05 2A 123 456 88")
    (True, False, True)
    """
    s = re.sub(r"[^0-9A-Za-z]", "", text).upper()
    if len(s) != 15:
        return False
    body = s[:13].replace("2A", "19", 1) if s[5:7] == "2A" else s[:13].replace("2B", "18", 1) if s[5:7] == "2B" else s[:13]
    return body.isdigit() and s[13:].isdigit() and 97 - int(body) % 97 == int(s[13:])


def _card_repl(m: re.Match) -> str:
    s = m.group(0)
    return "[CARD]" if luhn_valid(s) or _CARD_PRINTED.fullmatch(s) else s


def _nir_repl(m: re.Match) -> str:
    s = m.group(0)
    return "[ID]" if nir_valid(s) or _NIR_PRINTED.fullmatch(s) else s


def _iban_repl(m: re.Match) -> str:
    s = m.group(0)
    if s[:2].isupper() or sum(c.isdigit() for c in s) >= 10 or iban_valid(s):
        return "[IBAN]"
    return s


_DIGIT_RUN = re.compile(r"(?<![\w.,])\d(?:[ .()-]{0,2}\d){6,}(?!\w)")
_DECIMAL = re.compile(r"\d+[.,]\d+|\d{4}-\d{2}-\d{2}")
#: a whole text that is a date-time libphonenumber skips by its own time-stamp rule (a
#: ``[12]yyy-[01]m-[0-3]d [0-2]h`` candidate followed by ``:[0-5]m``): a date rejected by the
#: validation (``2024-02-31 10:00:00``) is not searched (1,000 such rejects: ~0.2 s)
_TIME_STAMP = re.compile(r"[12]\d{3}-[01]\d-[0-3]\d [0-2]\d:[0-5]\d(?::[0-5]\d)?")


def _phones_lib(text: str, regions: tuple[str, ...]) -> str:
    """Phone numbers libphonenumber finds valid in ``text`` for any of ``regions`` (only
    when a run of 7 digits there is not a decimal or a date: tables of numbers are common)."""
    if _TIME_STAMP.fullmatch(text) or all(_DECIMAL.fullmatch(run.group(0)) for run in _DIGIT_RUN.finditer(text)):
        return text
    import phonenumbers

    spans = set()
    for region in regions:
        try:
            spans.update((m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(
                text, region, leniency=phonenumbers.Leniency.VALID))
        except Exception:  # noqa: BLE001 - an odd region or text: the regexes already ran
            continue
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + "[PHONE]" + text[end:]
    return text


def _sub(s: pd.Series, rows: pd.Series, pat: str, repl) -> pd.Series:
    """``s`` with ``pat`` replaced on the rows flagged by ``rows`` only."""
    rows = rows.fillna(False).to_numpy(dtype=bool) if isinstance(rows, pd.Series) else rows
    if not rows.any():
        return s
    return s.mask(rows, s[rows].str.replace(pat, repl, regex=True))


def mask_pii(text: pd.Series, regions: tuple[str, ...] = ()) -> pd.Series:
    """Return a new Series with e-mails, IBANs, cards, phones, names and addresses masked.

    Parameters
    ----------
    text : pandas.Series
        Free-text comments (any dtype; missing values stay missing).
    regions : tuple of str, optional
        ISO country codes whose phone numbers are looked for besides :data:`PHONE_REGIONS`
        (the client's country).

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
    # the rows are aligned by position: any index (duplicate labels too) comes back as it was
    index = s.index
    s = s.reset_index(drop=True)
    # each pattern runs only on candidate rows found by a cheap pre-filter (pyarrow kernels)
    s = _sub(s, s.str.contains("@", regex=False), EMAIL_RE, "[EMAIL]")
    # pre-filters in plain ASCII classes (no \b, \w, \d), so pyarrow runs them
    low = s.str.lower()
    s = _sub(s, low.str.contains(_word_in("at|arobase|arroba"), regex=True)
             & low.str.contains(_word_in("dot|point|punto") + "|[a-z0-9][.][a-z]", regex=True),
             OBFUSCATED_EMAIL_RE, "[EMAIL]")
    s = _sub(s, low.str.contains("appelle|name|llamo|nombre|mon nom", regex=True), NAME_RE, r"\1[NAME]")
    civility = low.str.contains(_word_in(_CIVILITY_WORDS), regex=True)
    for pat in CIVILITY_RE:
        s = _sub(s, civility, pat, r"\1[NAME]")
    s = _sub(s, low.str.contains("cordialement|salutations|bien [aà] vous|regards|sincerely|yours|saludo|atentamente",
                                 regex=True), SIGNATURE_RE, r"\1[NAME]")
    digits = s.str.count("[0-9]").fillna(0)
    # addresses: a number and a street word, or a British postcode
    has_addr = (digits >= 1) & low.str.contains(
        _word_in(_STREET_WORDS_ASCII) + "|[a-z]{1,2}[0-9][a-z0-9]? ?[0-9][a-z]{2}", regex=True)
    for pat in ADDRESS_RES:
        s = _sub(s, has_addr, pat, "[ADDRESS]")
    # the numeric patterns only need to run on rows holding an IBAN's start or a run of 7
    # digits that is not part of a code (C00000060, S0000005: ids of the exports)
    s = _sub(s, low.str.contains("(?:^|[^a-z])[a-z]{2}[0-9]{2}[ .-]?[a-z0-9]{4}", regex=True), IBAN_RE, _iban_repl)
    s = _sub(s, s.str.contains("[A-Z]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]", regex=True), NINO_RE, "[ID]")
    # a Corsican NIR holds 2A / 2B: the digit-run pre-filter below would not see it
    s = _sub(s, low.str.contains("[12] ?[0-9]{2} ?[0-9]{2} ?2[ab] ?[0-9]{3} ?[0-9]{3} ?[0-9]{2}", regex=True),
             NIR_RE, _nir_repl)
    numeric = s.str.contains(_PHONE_CANDIDATE, regex=True).fillna(False).to_numpy(dtype=bool)
    if numeric.any():
        sub = s[numeric]
        sub = sub.str.replace(NIR_RE, _nir_repl, regex=True).str.replace(SSN_RE, "[ID]", regex=True)
        sub = sub.str.replace(CARD_RE, _card_repl, regex=True)
        for pat in PHONE_RES:
            sub = sub.str.replace(pat, "[PHONE]", regex=True)
        # then libphonenumber, on the rows still holding such a run
        left = sub.str.contains(_PHONE_CANDIDATE, regex=True).fillna(False).to_numpy(dtype=bool)
        if left.any():
            regs = tuple(dict.fromkeys([str(r).upper() for r in regions if str(r).isalpha() and len(str(r)) == 2]
                                       + list(PHONE_REGIONS)))
            sub = sub.mask(left, pd.Series([_phones_lib(t, regs) for t in sub[left].tolist()],
                                           index=sub.index[left], dtype="string"))
        s = s.mask(numeric, sub)
    return s.set_axis(index)


def mask_text(text: str, regions: tuple[str, ...] = ()) -> str:
    """Mask one string (convenience wrapper over :func:`mask_pii`).

    >>> mask_text("My name is John Smith, call 07700 900123")
    'My name is [NAME], call [PHONE]'
    """
    return str(mask_pii(pd.Series([text], dtype="string"), regions).iloc[0])
