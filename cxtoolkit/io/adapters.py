"""Known raw exports read directly, without a client.yml (their mapping is a preset).

The "Anonymous Bank" call-centre log (Technion SEE lab; tab-separated, CRLF, 17 columns
``vru+line call_id customer_id priority type date vru_entry vru_exit vru_time q_start q_exit
q_time outcome ser_start ser_exit ser_time server``) is mapped by the preset
``cxtoolkit/io/presets/anonymous_bank.yml`` (contact_id = ``vru+line``-``call_id``, received_at =
``date`` + ``vru_entry``, answered = ``outcome`` AGENT, PHANTOM calls rejected, …); like every
preset it is recognised from the header, so a client.yml simply points ``data.contacts`` at the
export. :func:`anonymous_bank_to_contacts` reads one file directly.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

ANONYMOUS_BANK_COLUMNS = ("vru+line", "call_id", "customer_id", "priority", "type", "date", "vru_entry",
                          "vru_exit", "vru_time", "q_start", "q_exit", "q_time", "outcome", "ser_start",
                          "ser_exit", "ser_time", "server")


def anonymous_bank_to_contacts(path: Path | str, now: pd.Timestamp | None = None):
    """Read an Anonymous Bank log into canonical contacts (through its preset).

    Returns
    -------
    (contacts, rejects, counts) : (DataFrame, DataFrame, dict)
        ``counts`` = ``{"file", "read", "accepted", "rejected", ...}``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "bank.txt"
    >>> hdr = "\\t".join(ANONYMOUS_BANK_COLUMNS)
    >>> r1 = "AA0101\\t1\\t0\\t0\\tPS\\t990201\\t7:02:47\\t7:02:56\\t9\\t0:00:00\\t0:00:00\\t0\\tAGENT\\t7:02:55\\t7:05:41\\t166\\tDORIT"
    >>> r2 = "AA0101\\t2\\t5\\t2\\tPS\\t990201\\t8:00:00\\t8:00:05\\t5\\t8:00:05\\t8:00:35\\t30\\tPHANTOM\\t0:00:00\\t0:00:00\\t0\\tNO_SERVER"
    >>> _ = p.write_bytes((hdr + "\\r\\n" + r1 + "\\r\\n" + r2 + "\\r\\n").encode())
    >>> c, rej, n = anonymous_bank_to_contacts(p)
    >>> n["read"], n["accepted"], c.loc[0, "received_at"], rej.loc[0, "reason"]
    (2, 1, Timestamp('1999-02-01 07:02:47'), 'PHANTOM call (not a real call)')
    """
    from cxtoolkit.io.loader import load_table

    return load_table(path, "contacts", now=now, source={"file": str(path), "preset": "anonymous_bank"})
