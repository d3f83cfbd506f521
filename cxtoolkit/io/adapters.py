"""Adapters for known raw exports that do not follow the canonical layout.

An adapter turns a :class:`~cxtoolkit.io.readers.RawTable` of a known export into one
with canonical column names (as text), plus the rows it already knows are unusable
(``RawTable.problems``); validation then proceeds as for any file. Adapters are chosen
automatically from the file's header (:func:`detect`), so a client.yml simply points
``data.contacts`` at the export; :func:`anonymous_bank_to_contacts` reads one directly.

``anonymous_bank`` — the "Anonymous Bank" call-centre log (Technion SEE lab; tab-separated,
CRLF, 17 columns ``vru+line call_id customer_id priority type date vru_entry vru_exit
vru_time q_start q_exit q_time outcome ser_start ser_exit ser_time server``):

=============  ==============================================================
contact_id     ``vru+line`` + "-" + ``call_id`` (call_id alone repeats across lines)
channel        phone
received_at    ``date`` (yymmdd) + ``vru_entry`` (time the call reached the centre)
answered       ``outcome`` == AGENT (HANG: gave up in the queue)
wait_s         ``q_time``; talk_s = ``ser_time``; hold_s = wrap_s = 0 (not recorded)
customer_id    ``customer_id``, 0 → missing (unidentified caller)
agent_id       ``server``, NO_SERVER → missing
queue          ``type`` (PS regular, NW/NE stock, IN internet, TT, PE)
rejects        ``outcome`` PHANTOM (not a real call) and any unknown outcome
=============  ==============================================================
The other columns (priority, vru_time, outcome, …) are kept as they came.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from cxtoolkit.io.readers import RawTable, read_csv

ANONYMOUS_BANK_COLUMNS = ("vru+line", "call_id", "customer_id", "priority", "type", "date", "vru_entry",
                          "vru_exit", "vru_time", "q_start", "q_exit", "q_time", "outcome", "ser_start",
                          "ser_exit", "ser_time", "server")
OUTCOMES = ("AGENT", "HANG", "PHANTOM")


def is_anonymous_bank(columns: list[str]) -> bool:
    """True when the header is the Anonymous Bank log's."""
    cols = {str(c).strip().lower() for c in columns}
    return {"vru+line", "call_id", "q_time", "outcome", "ser_time", "vru_entry"} <= cols


def adapt_anonymous_bank(raw: RawTable) -> RawTable:
    """Map an Anonymous Bank log onto canonical contacts columns (text cells)."""
    df = raw.df.rename(columns=lambda c: str(c).strip().lower())
    s = {c: df[c].astype("str").str.strip() for c in df.columns}
    day = pd.to_datetime(s["date"], format="%y%m%d", errors="coerce")
    received = (day.dt.strftime("%Y-%m-%d") + " " + s["vru_entry"].str.zfill(8)).fillna(s["date"])
    outcome = s["outcome"].str.upper()
    cust = s["customer_id"].mask(s["customer_id"].isin(["0", ""]))
    agent = s["server"].mask(s["server"].isin(["NO_SERVER", ""]))
    out = pd.DataFrame({
        "contact_id": s["vru+line"] + "-" + s["call_id"],
        "channel": "phone",
        "received_at": received,
        "answered": (outcome == "AGENT").map({True: "true", False: "false"}),
        "wait_s": s["q_time"],
        "talk_s": s["ser_time"],
        "customer_id": cust,
        "agent_id": agent,
        "queue": s["type"],
    })
    rest = [c for c in df.columns if c not in ("call_id", "customer_id", "type", "q_time", "ser_time", "server")]
    for c in rest:
        out[c] = df[c]
    problems = list(raw.problems)
    problems.append(((outcome == "PHANTOM").to_numpy(), "outcome", "PHANTOM call (not a real call)"))
    problems.append((~outcome.isin(OUTCOMES).to_numpy(), "outcome",
                     f"unknown outcome (expected {', '.join(OUTCOMES)})"))
    return RawTable(df=out, rows=raw.rows, file=raw.file, sep=raw.sep, encoding=raw.encoding,
                    problems=problems, warnings=raw.warnings, row_files=raw.row_files)


def detect(raw: RawTable, table: str) -> RawTable:
    """Apply the adapter whose export ``raw`` is, if any."""
    if table == "contacts" and is_anonymous_bank(list(raw.df.columns)):
        return adapt_anonymous_bank(raw)
    return raw


def anonymous_bank_to_contacts(path: Path | str, now: pd.Timestamp | None = None):
    """Read an Anonymous Bank log into canonical contacts.

    Returns
    -------
    (contacts, rejects, counts) : (DataFrame, DataFrame, dict)
        ``counts`` = ``{"file", "read", "accepted", "rejected"}``.

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
    from cxtoolkit.io.validate import validate
    from cxtoolkit.schemas import CONTACTS

    raw = adapt_anonymous_bank(read_csv(Path(path), CONTACTS))
    contacts, rejects = validate(raw, CONTACTS, now=now)
    counts = {"file": str(path), "read": len(raw.df), "accepted": len(contacts),
              "rejected": len(raw.df) - len(contacts)}
    return contacts, rejects, counts
