"""Pseudonymisation of customer identifiers in published outputs.

Identifiers are replaced by a keyed hash (HMAC-SHA256, truncated to 16 hex characters):
stable across audits with the same key (so trends and repeat contacts still line up) but
not reversible without the key. The key comes from the environment variable
``CXTOOLKIT_PSEUDONYM_KEY`` or from a local key file (``~/.config/cxtoolkit/pseudonym.key``
by default, created with mode 0600 on first use). It is never written into the
repository or into a report.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"customer_id": ["C1", "C2", "C1", None]})
>>> out = pseudonymise(df, key=b"k")
>>> out["customer_id"].iloc[0] == out["customer_id"].iloc[2] != "C1"
True
>>> bool(out["customer_id"].isna().iloc[3]), df["customer_id"].iloc[0]
(True, 'C1')
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

import numpy as np
import pandas as pd

ENV_KEY = "CXTOOLKIT_PSEUDONYM_KEY"
ENV_KEY_FILE = "CXTOOLKIT_PSEUDONYM_KEY_FILE"
DEFAULT_KEY_FILE = Path.home() / ".config" / "cxtoolkit" / "pseudonym.key"
#: columns that identify a customer and are pseudonymised before publication
CUSTOMER_COLUMNS = ("customer_id",)


def pseudonym_key(key_file: Path | None = None) -> bytes:
    """The pseudonymisation key: from ``$CXTOOLKIT_PSEUDONYM_KEY``, else a local key file
    (``$CXTOOLKIT_PSEUDONYM_KEY_FILE`` or ``~/.config/cxtoolkit/pseudonym.key``), created
    with 32 random bytes and mode 0600 when absent."""
    env = os.environ.get(ENV_KEY)
    if env:
        return env.encode("utf-8")
    path = Path(key_file or os.environ.get(ENV_KEY_FILE) or DEFAULT_KEY_FILE)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip().encode("utf-8")


def pseudonym(value: str, key: bytes) -> str:
    """Keyed hash of one identifier (16 hex characters, prefixed ``p_``)."""
    return "p_" + hmac.new(key, str(value).encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def pseudonymise(
    df: pd.DataFrame, columns: tuple[str, ...] = CUSTOMER_COLUMNS, key: bytes | None = None
) -> pd.DataFrame:
    """A copy of ``df`` with ``columns`` (those present) replaced by keyed hashes.

    Missing values stay missing. Each distinct identifier is hashed once, so the cost is
    proportional to the number of customers, not of rows.
    """
    present = [c for c in columns if c in df.columns]
    if not present:
        return df.copy()
    key = key if key is not None else pseudonym_key()
    out = df.copy()
    for col in present:
        codes, uniques = pd.factorize(out[col], use_na_sentinel=True)
        hashed = np.array([pseudonym(u, key) for u in uniques], dtype=object)
        values = np.where(codes >= 0, hashed[np.clip(codes, 0, None)] if len(hashed) else None, None)
        out[col] = pd.array(values, dtype="string")
    return out


def mask_rejects(rejects: pd.DataFrame, key: bytes | None = None,
                 ids: "set[str] | frozenset[str] | None" = None) -> pd.DataFrame:
    """A copy of a rejects frame (``table, file, row, column, value, reason``) safe to publish.

    The ``value`` column quotes what the client's file held, which may be personal data:
    a customer identifier (replaced by its pseudonym, see :func:`pseudonym`) or free text
    holding an e-mail, a phone number, an IBAN, a card or a name (masked with
    :func:`cxtoolkit.pii.mask_pii`), and any raw customer id of ``ids`` quoted inside
    another column's value is pseudonymised too. Row numbers and reasons are kept, so the
    client can still find and fix each row in its own file.

    Examples
    --------
    >>> rej = pd.DataFrame({"table": ["contacts"] * 2, "file": ["c.csv"] * 2, "row": [2, 3],
    ...                     "column": ["channel", "customer_id"],
    ...                     "value": ["jo@x.fr", "K001"], "reason": ["unknown value", "missing"]})
    >>> out = mask_rejects(rej, key=b"k")
    >>> out["value"].iloc[0], out["value"].iloc[1] == pseudonym("K001", b"k"), rej["value"].iloc[1]
    ('[EMAIL]', True, 'K001')
    """
    from cxtoolkit.pii import mask_pii

    if rejects is None or "value" not in rejects.columns or rejects.empty:
        return rejects.copy() if rejects is not None else rejects
    out = rejects.copy()
    value = out["value"].astype("string")
    is_id = out["column"].astype("string").isin(list(CUSTOMER_COLUMNS)).fillna(False).to_numpy(dtype=bool) \
        if "column" in out.columns else np.zeros(len(out), dtype=bool)
    is_id = is_id & (value.notna() & (value != "")).fillna(False).to_numpy(dtype=bool)
    codes, distinct = pd.factorize(value)   # each distinct value masked once (a file's rejects repeat a few)
    masked = pd.Series(mask_pii(pd.Series(distinct, dtype=value.dtype)).array.take(codes, allow_fill=True),
                       index=value.index)
    if is_id.any():
        key = key if key is not None else pseudonym_key()
        id_frame = pd.DataFrame({"customer_id": value[is_id]})
        masked = masked.mask(pd.Series(is_id, index=out.index), pseudonymise(id_frame, key=key)["customer_id"])
    if ids:
        key = key if key is not None else pseudonym_key()
        todo = (~is_id & masked.notna()).to_numpy(dtype=bool)
        masked = masked.mask(todo, pd.Series(_pseudonymise_tokens(masked[todo].tolist(), ids, key),
                                             index=masked.index[todo], dtype="string"))
    out["value"] = masked
    return out


_TOKEN_RE = re.compile(r"[\w\-@+]+(?:\.[\w\-@+]+)*")

#: a cell written as a number (``12``, ``-0.116``, ``24.123456789012345``, ``1e-05``, ``-4,5``)
#: or an ISO date / time: data, never personal data — published exactly as it is, never
#: scrubbed nor quoted. An unsigned integer of 13 digits or more is not taken as a number
#: (it may be a card number typed alone, checked by the masking).
_NUM = r"(?:(?:0|[1-9][0-9]*)(?:[.,][0-9]+)?|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?"
NUMBER_RE = (r"^[ ]*-?(?:" + _NUM + r"|inf|nan|NaN)[ ]*$"
             r"|^[0-9]{4}-[0-9]{2}(?:-[0-9]{2}(?:[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.][0-9]+)?)?"
             r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?)?$|^[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?$")
_LONG_INTEGER_RE = r"^[ ]*[0-9]{13,}[ ]*$"
_NUMBER, _LONG_INTEGER = re.compile(NUMBER_RE), re.compile(_LONG_INTEGER_RE)


def is_number_text(value) -> bool:
    """:func:`is_number` of one value: a ``str`` written as a number or an ISO date / time
    (the formula guard of :mod:`cxtoolkit.io.export` leaves it unquoted).

    >>> is_number_text("-4,5"), is_number_text("-0.116"), is_number_text("-2+3"), is_number_text(-3)
    (True, True, False, False)
    """
    return isinstance(value, str) and _NUMBER.search(value) is not None and _LONG_INTEGER.search(value) is None


def is_number(values: pd.Series) -> np.ndarray:
    """Which cells of ``values`` are written as a number or an ISO date / time
    (:data:`NUMBER_RE`): the privacy scrub and the formula guard leave them as they are.

    >>> is_number(pd.Series(["-0.116", "24.123456789012345", "0.[CARD]", "4111111111111111", "2026-05-01 12:21:27", None]))
    array([ True,  True, False, False,  True, False])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    # pyarrow's RE2 directly: pandas would re-parse the pattern on every call (a cost
    # that adds up over the hundreds of columns of an audit's exports)
    arr = pa.array(values.astype("string").array)
    ok = pc.and_(pc.match_substring_regex(arr, NUMBER_RE), pc.invert(pc.match_substring_regex(arr, _LONG_INTEGER_RE)))
    return ok.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)


def _pseudonymise_tokens(texts: "list[str]", ids: "set[str] | frozenset[str]", key: bytes,
                         several: "np.ndarray | None" = None) -> "list[str]":
    """Every token of ``texts`` equal to a raw customer id replaced by its pseudonym
    (``several``: which texts may hold more than one token; the others are looked up whole)."""
    def one(t: str) -> str:
        return _TOKEN_RE.sub(lambda m: pseudonym(m.group(0), key) if m.group(0) in ids else m.group(0), t)

    if several is None:
        return [one(t) if t else t for t in texts]
    return [pseudonym(t, key) if t in ids else (one(t) if many and t else t) for t, many in zip(texts, several)]


def scrub_frame(df: pd.DataFrame, ids: "set[str] | frozenset[str] | None" = None,
                key: bytes | None = None, regions: tuple[str, ...] = ()) -> pd.DataFrame:
    """A copy of a table about to be published, safe to publish.

    - columns named ``*customer_id`` are pseudonymised (:func:`pseudonymise`);
    - numeric columns, and cells written as a number or a date (:func:`is_number`), are
      kept exactly as they are: a number is never scrubbed;
    - other text cells get personal data masked (:func:`cxtoolkit.pii.mask_pii`) and every
      raw customer id of ``ids``, alone or inside a text, replaced by its pseudonym.

    Many tables at once: :func:`scrub_frames`.

    Examples
    --------
    >>> df = pd.DataFrame({"kpi": ["nps", "chat_60s", "note"], "value": ["-0.116", "0.123456789012345", "K0042 a@b.fr"],
    ...                    "n": [1, 2, 3]})
    >>> scrub_frame(df, {"K0042"}, key=b"k")["value"].tolist()
    ['-0.116', '0.123456789012345', 'p_c6f9a17fae09f71a [EMAIL]']
    """
    return scrub_frames([df], ids, key, regions)[0]


def scrub_frames(frames: "list[pd.DataFrame]", ids: "set[str] | frozenset[str] | None" = None,
                 key: bytes | None = None, regions: tuple[str, ...] = ()) -> "list[pd.DataFrame]":
    """:func:`scrub_frame` of each table of ``frames``, in one pass: the text cells of every
    table are told from numbers, masked and pseudonymised together (each step works cell by
    cell, so the result is each table's own), instead of a dozen vectorised steps per table
    (an audit publishes ~90 small tables: its results set and the notebooks' CSV exports).

    >>> a = pd.DataFrame({"who": ["K0042", "x@y.fr"]})
    >>> b = pd.DataFrame({"n": [1], "note": ["call +33 6 12 34 56 78"]})
    >>> [f.iloc[:, -1].tolist() for f in scrub_frames([a, b], {"K0042"}, key=b"k")]
    [['p_c6f9a17fae09f71a', '[EMAIL]'], ['call [PHONE]']]
    """
    from cxtoolkit.pii import mask_pii

    outs = [df.copy() for df in frames]
    texts: list = []                               # (table, column, its text): cells to tell apart
    for i, df in enumerate(frames):
        for col in df.columns:
            s = df[col]
            if not (s.dtype == object or isinstance(s.dtype, pd.StringDtype)):
                continue                           # a numeric, boolean or date column
            text = s.astype("string")
            if str(col).endswith("customer_id"):
                filled = (text.notna() & (text != "")).fillna(False)
                hashed = pseudonymise(pd.DataFrame({"customer_id": text.where(filled)}), key=key)["customer_id"]
                outs[i][col] = text.where(~filled, hashed)
                continue
            texts.append((i, col, text))
    if not texts:
        return outs
    every = pd.concat([text for _, _, text in texts], ignore_index=True)
    todo = ~is_number(every) & (every.notna() & (every != "")).fillna(False).to_numpy(dtype=bool)
    if not todo.any():
        return outs
    # every cell to scrub in one masking pass (one set of pre-filters for all the tables)
    masked = mask_pii(every[todo].reset_index(drop=True), regions)
    if ids:
        key = key if key is not None else pseudonym_key()
        several = masked.str.contains(r"[^0-9A-Za-z_@+.-]", regex=True).fillna(False).to_numpy(dtype=bool)
        masked = pd.Series(_pseudonymise_tokens(masked.tolist(), ids, key, several), dtype="string")
    row = start = 0
    for i, col, text in texts:
        mine = todo[row:row + len(text)]
        row += len(text)
        n = int(mine.sum())
        if not n:
            continue
        new = text.copy()
        new[mine] = masked.iloc[start:start + n].to_numpy()
        start += n
        if not new.equals(text):
            outs[i][col] = new
    return outs


def scrub_text(text: str, ids: "set[str] | frozenset[str] | None" = None, key: bytes | None = None) -> str:
    """``text`` with personal data masked (:func:`cxtoolkit.pii.mask_text`) and every token
    equal to one of the raw customer identifiers ``ids`` replaced by its pseudonym.

    The last line of defence before publication: used on notebook outputs, error messages
    and CSV exports of an audit, where a raw identifier or a quoted verbatim could slip in.

    Examples
    --------
    >>> scrub_text("client K0042 wrote jo@x.fr (K00421 is another)", {"K0042"}, key=b"k")
    'client p_c6f9a17fae09f71a wrote [EMAIL] (K00421 is another)'
    """
    from cxtoolkit.pii import mask_text

    if not text:
        return text
    out = mask_text(text)
    if ids:
        out = _pseudonymise_tokens([out], ids, key if key is not None else pseudonym_key())[0]
    return out


def scrub_texts(texts: "list[str]", ids: "set[str] | frozenset[str] | None" = None,
                key: bytes | None = None) -> "list[str]":
    """:func:`scrub_text` of many strings at once (one vectorised masking pass instead of
    one per string: an executed notebook holds hundreds of outputs).

    >>> scrub_texts(["a jo@x.fr", "", "K1 ok"], {"K1"}, key=b"k")
    ['a [EMAIL]', '', 'p_d8e956e1734caa81 ok']
    """
    import pandas as pd

    from cxtoolkit.pii import mask_pii

    if not texts:
        return []
    masked = mask_pii(pd.Series(list(texts), dtype="string")).fillna("").tolist()
    out = [m if t else t for t, m in zip(texts, masked)]
    if ids:
        out = _pseudonymise_tokens(out, ids, key if key is not None else pseudonym_key())
    return out


def customer_ids(*frames: "pd.DataFrame | None") -> frozenset[str]:
    """Distinct raw customer identifiers found in ``frames`` (columns :data:`CUSTOMER_COLUMNS`)."""
    found: set[str] = set()
    for df in frames:
        if df is None:
            continue
        for col in CUSTOMER_COLUMNS:
            if col in df.columns:
                found.update(str(v) for v in pd.unique(df[col].dropna().astype("str")) if str(v))
    return frozenset(found)


def scrub_notebook(nb, ids: "set[str] | frozenset[str] | None" = None, key: bytes | None = None):
    """An executed notebook (nbformat node) whose text outputs are scrubbed with
    :func:`scrub_text`: streams, errors (value and traceback), ``text/plain``,
    ``text/markdown`` and ``text/html`` without scripts (charts are left as they are; their
    data comes from package functions that mask verbatims upstream)."""
    import nbformat

    nb = nbformat.from_dict(nb)
    # (container, key, index or None): every string to scrub, masked in one pass below
    slots: list[tuple] = []

    def add(container, k):
        value = container.get(k)
        if isinstance(value, list):
            slots.extend((container, k, i) for i, v in enumerate(value) if isinstance(v, str))
        elif isinstance(value, str):
            slots.append((container, k, None))

    for cell in nb.cells:
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "stream":
                out.setdefault("text", "")
                add(out, "text")
            elif kind == "error":
                out.setdefault("evalue", "")
                out.setdefault("traceback", [])
                add(out, "evalue")
                add(out, "traceback")
            data = out.get("data")
            if data:
                for mime in ("text/plain", "text/markdown", "text/latex"):
                    if mime in data:
                        add(data, mime)
                html = data.get("text/html")
                if html is not None:
                    joined = "".join(html) if isinstance(html, list) else html
                    if "<script" not in joined:
                        data["text/html"] = joined
                        add(data, "text/html")
    clean = scrub_texts([c[k] if i is None else c[k][i] for c, k, i in slots], ids, key)
    for (c, k, i), text in zip(slots, clean):
        if i is None:
            c[k] = text
        else:
            c[k][i] = text
    return nb
