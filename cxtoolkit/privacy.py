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
