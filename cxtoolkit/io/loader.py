"""``load``: read and validate every table of a client; ``write_rejects``.

Examples
--------
>>> import tempfile, pathlib
>>> from cxtoolkit.config import ClientConfig
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "contacts.csv").write_text(
...     "contact_id;channel;received_at;answered;wait_s\\n"
...     "c1;tel;01/03/2024 09:00;oui;12\\n"
...     "c2;mail;01/03/2024 10:00;non;\\n"
...     "c3;tel;02/03/2024 09:00;oui;\\n", encoding="utf-8")
>>> cfg = ClientConfig(client="acme", data={"contacts": "contacts.csv"}, folder=d)
>>> data = load(cfg, now="2025-01-01")
>>> data.counts["contacts"]["read"], data.counts["contacts"]["accepted"], data.rejects["reason"].tolist()
(3, 2, ["décroché sans temps d'attente (wait_s)"])
>>> load(cfg, now="2025-01-01", locale="en").rejects["reason"].tolist()
['answered without wait_s']
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cxtoolkit.config import TABLES, ClientConfig
from cxtoolkit.errors import InputError
from cxtoolkit.io import cache as _cache
from cxtoolkit.io.export import write_csv
from cxtoolkit.io.mapping import from_source, read_mapped
from cxtoolkit.io.readers import read_file
from cxtoolkit.io.validate import REJECT_COLUMNS, empty_rejects, validate_detailed
from cxtoolkit.messages import client_locale, text
from cxtoolkit.rules import in_period, period_bounds
from cxtoolkit.schemas import SCHEMAS

#: message of the loader's safety net (an unexpected reader error on a client file), as
#: catalogue key ``error.io.unreadable`` says it in English
UNREADABLE = "could not be read, please send this file's layout to the toolkit maintainers"


def unreadable(exc: Exception, name) -> InputError:
    """The one-line error for a client file the readers stopped on (safety net,
    tests/test_fuzz_loaders.py: whatever a client file holds, the user gets one line naming
    it, never a traceback; raise it ``from exc`` to keep the cause for bug reports).

    >>> str(unreadable(csv.Error("new-line character seen in unquoted field"), "a.csv"))
    'a.csv: unreadable text file (new-line character seen in unquoted field)'
    """
    if isinstance(exc, (csv.Error, UnicodeError)):   # a file the CSV parser cannot split
        msg = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return InputError("error.io.unreadable_text_file", name=name, msg=msg)
    msg = (str(exc).strip().splitlines() or [""])[0]
    return InputError("error.io.unreadable",
                      name=name,
                      error_type=type(exc).__name__,
                      msg=msg)



def _after_period(contacts: pd.DataFrame, t1, window_days: float) -> pd.DataFrame | None:
    """The contacts received from ``t1`` (a period's end, excluded from it) that a period
    contact's repeat window can reach, and the file's last contact (see
    :attr:`ClientData.contacts_after`); None when there are none."""
    if t1 is None or "customer_id" not in contacts.columns:
        return None
    ts = contacts["received_at"]
    after = (ts >= t1).to_numpy(dtype=bool, na_value=False)
    if not after.any():
        return None
    reach = after & (ts <= t1 + pd.Timedelta(days=window_days)).to_numpy(dtype=bool, na_value=False) \
        & contacts["customer_id"].notna().to_numpy(dtype=bool)
    reach[int(np.flatnonzero(after)[ts.iloc[after].to_numpy().argmax()])] = True   # where the data ends
    return contacts.loc[reach, ["customer_id", "received_at"]].reset_index(drop=True)


@dataclass
class ClientData:
    """Validated tables of one client (None when not loaded), rejects and counts."""

    contacts: pd.DataFrame | None = None
    responses: pd.DataFrame | None = None
    sends: pd.DataFrame | None = None
    evaluations: pd.DataFrame | None = None
    agents: pd.DataFrame | None = None
    daily_reports: pd.DataFrame | None = None
    rejects: pd.DataFrame = field(default_factory=empty_rejects)
    counts: dict[str, dict] = field(default_factory=dict)
    #: cells of optional columns emptied because invalid (rows kept); same columns as rejects
    blanked: pd.DataFrame = field(default_factory=empty_rejects)
    #: per table: blanked (cells), ignored_columns, preset, assumed, warnings
    details: dict[str, dict] = field(default_factory=dict)
    #: warnings about the client's settings (the tables' own are in ``details``)
    notes: list[str] = field(default_factory=list)
    #: the language of the reject reasons, warnings and notes (:func:`load`'s ``locale``)
    locale: str = "en"
    #: with a period: the accepted contacts received after it that can still make a period
    #: contact a repeat (``customer_id``, ``received_at``; within the repeat window of the
    #: period's end), and the file's last contact (censoring is judged against the data's end,
    #: not the period's): :func:`cxtoolkit.kpis.contacts.repeat_flags`'s ``later``
    contacts_after: pd.DataFrame | None = None

    def __getitem__(self, table: str) -> pd.DataFrame | None:
        if table not in TABLES:
            raise KeyError(table)
        return getattr(self, table)

    @property
    def clean(self) -> bool:
        """True when no row was rejected."""
        return all(c["rejected"] == 0 for c in self.counts.values())

    @property
    def rejected(self) -> int:
        """Rows rejected over every table."""
        return sum(int(c.get("rejected", 0)) for c in self.counts.values())

    def assumed(self, table: str = "contacts") -> list[str]:
        """The columns of ``table`` its mapping filled with an assumed constant (``assumed:``
        in a preset or client.yml): the KPIs resting only on them are not measured
        (:func:`cxtoolkit.kpis.registry.unmeasured`).

        >>> ClientData(details={"contacts": {"assumed": ["answered"]}}).assumed()
        ['answered']
        """
        return list(self.details.get(table, {}).get("assumed", []))

    def assumed_by_table(self) -> dict[str, list[str]]:
        """``{table: columns}`` of :meth:`assumed` for every table that has any (the
        ``assumed`` of :func:`cxtoolkit.kpis.compute_many`).

        >>> ClientData(details={"contacts": {"assumed": []}, "responses": {"assumed": ["nps"]}}).assumed_by_table()
        {'responses': ['nps']}
        """
        return {t: self.assumed(t) for t in self.details if self.assumed(t)}

    @property
    def warnings(self) -> list[str]:
        """What a user must know about the loading (row ids numbered, columns ignored, cells
        blanked, presets' notes), table by table."""
        return list(self.notes) + [w for c in self.details.values() for w in c.get("warnings", [])]

    def meta(self) -> dict:
        """The ``"meta"`` every command's ``--json`` carries: per table ``file, read, accepted,
        rejected, ignored_columns`` (and ``preset``, ``assumed``, ``blanked``, ``out_of_period``), and the
        warnings.

        >>> d = ClientData(counts={"contacts": {"file": "c.csv", "read": 3, "accepted": 2, "rejected": 1}})
        >>> d.meta()["tables"]["contacts"]["ignored_columns"], d.meta()["warnings"]
        ([], [])
        """
        tables = {}
        for t, c in self.counts.items():
            d = self.details.get(t, {})
            tables[t] = {"file": str(c.get("file")), "read": int(c.get("read", 0)),
                         "accepted": int(c.get("accepted", 0)), "rejected": int(c.get("rejected", 0)),
                         "ignored_columns": list(d.get("ignored_columns", [])),
                         "blanked": int(d.get("blanked", 0)), "preset": d.get("preset"),
                         "assumed": list(d.get("assumed", [])),
                         "out_of_period": int(c.get("out_of_period", 0))}
        return {"tables": tables, "warnings": self.warnings}


def load_table(path: Path | str, table: str, *, ces_scale: int = 7, sheet: str | int | None = None,
               now=None, name: str | None = None, source=None,
               tz: str | None = None, locale: str = "en") -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Read and validate one file as ``table``; return ``(accepted, rejects, counts)``.

    ``counts`` = ``{file, read, accepted, rejected}``; see :func:`load_table_detailed` for the
    mapping ``source`` and what else the loading found.
    """
    accepted, rejects, counts, _ = load_table_detailed(path, table, ces_scale=ces_scale, sheet=sheet, now=now,
                                                       name=name, source=source, tz=tz, locale=locale)
    return accepted, rejects, counts


def load_table_detailed(path: Path | str, table: str, *, ces_scale: int = 7, sheet: str | int | None = None,
                        now=None, name: str | None = None, source=None, tz: str | None = None,
                        needed: set[str] | None = None, locale: str = "en", columns: list[str] | None = None
                        ) -> tuple[pd.DataFrame, pd.DataFrame, dict, dict]:
    """:func:`load_table` plus ``details``: ``{blanked, blanked_cells, ignored_columns, preset,
    assumed, warnings}`` (``assumed``: the columns filled by an assumed constant,
    :func:`cxtoolkit.io.mapping.assumed_columns`).

    ``source`` is the table's ``data:`` entry of client.yml (a mapping, see
    :mod:`cxtoolkit.io.mapping`); without one, columns are found by their aliases and known
    exports by their preset. ``blanked_cells`` are records with the rejects' columns: cells of
    optional columns emptied because invalid (their rows are kept). ``tz`` is the client's time
    zone (timestamps with a UTC offset, waits across a daylight-saving change). ``needed``: the
    canonical columns the caller uses (None: all); a Parquet file's other free-text columns are
    then not read (:func:`cxtoolkit.io.mapping.projection`: same accepted rows and rejects).
    ``locale``: the language of the reject reasons and warnings (``fr`` / ``en``, the client's:
    its caller says which; the rejects' column names are the same in every language).
    ``columns``: only these canonical columns of the accepted rows are built
    (:func:`~cxtoolkit.io.validate.validate_detailed`; all when a cache of parsed files is set:
    the cache keeps whole tables).
    """
    if table not in SCHEMAS:
        raise InputError("error.io.unknown_table", table=repr(table), value=', '.join(SCHEMAS))
    schema = SCHEMAS[table]
    folder, key = _cache.cache_dir(), None
    if folder is not None:
        columns = None
    if folder is not None and Path(path).is_file():
        mapping = from_source(source)
        extra = None if mapping is None else mapping.key()
        if needed is not None:
            extra = repr((extra, sorted(needed)))
        key = _cache.entry_key(path, table, ces_scale=ces_scale, sheet=sheet, now=now, extra=extra, tz=tz,
                               locale=locale)
        hit = _cache.get(folder, key)
        if hit is not None:
            accepted, rejects, counts = hit
            counts = dict(counts)
            return accepted, rejects, counts, counts.pop("details", {})
    assumed: list[str] = []
    try:
        raw, warnings, preset = read_mapped(path, table, source, sheet=sheet, name=name, reader=read_file,
                                            needed=needed, assumed=assumed, locale=locale)
        res = validate_detailed(raw, schema, ces_scale=ces_scale, now=now, table=table, tz=tz, locale=locale,
                                columns=columns)
        accepted, rejects = res.accepted, res.rejects
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise unreadable(exc, name or path) from exc
    read = len(raw.df)
    counts = {"file": raw.file, "read": read, "accepted": len(accepted), "rejected": read - len(accepted)}
    assert counts["read"] == counts["accepted"] + counts["rejected"]
    cells = res.blanked.astype({"row": "int64"}).to_dict(orient="records")
    details = {"blanked": len(res.blanked), "ignored_columns": list(res.ignored_columns), "preset": preset,
               "assumed": assumed, "warnings": warnings + res.warnings,
               "blanked_cells": [{k: (int(v) if k == "row" else str(v)) for k, v in r.items()} for r in cells]}
    if key is not None:
        _cache.put(folder, key, accepted, rejects, {**counts, "details": details})
    return accepted, rejects, counts, details


def load(cfg: ClientConfig, tables: list[str] | tuple[str, ...] | None = None,
         paths: dict[str, Path | str] | None = None, start=None, end=None, now=None,
         needed: dict[str, set[str]] | None = None, locale: str | None = None, frames: bool = True) -> ClientData:
    """Load the tables named in ``cfg.data`` (or ``tables``), validated.

    Parameters
    ----------
    cfg : ClientConfig
        The client; ``cfg.data_path(table)`` gives each file (kept inside the client folder).
    tables : list of str, optional
        Only these tables (default: every table in ``cfg.data`` or ``paths``).
    paths : dict, optional
        ``{table: file}`` overriding ``cfg.data`` (the CLI's ``--contacts F`` flags). An
        Excel sheet may be named as ``file.xlsx#Sheet``.
    start, end : str or Timestamp, optional
        Keep rows whose main timestamp is in ``[start, end]`` (an end date includes its
        whole day; a timestamp with a UTC offset is converted to the client's time zone:
        :func:`cxtoolkit.rules.period_bounds`). Rows outside are not rejected;
        ``counts[t]["out_of_period"]`` says how many.
    now : Timestamp, optional
        Reference for "date in the future" (tests).
    needed : dict, optional
        ``{table: canonical columns used}``: a Parquet file's other free-text columns are not
        read (a command computing a few KPIs on a wide export); default: every column.
    locale : str, optional
        The language of the reject reasons, warnings and notes: the caller's ``--locale``,
        else the client's (``cfg.locale``, client.yml's ``locale``).
    frames : bool
        False: the accepted tables are not built, they hold no column (but their main time
        stamp with a period): the same number of rows, counts, rejects and warnings
        (``cxtoolkit validate`` reports those, not the tables).
    """
    paths = {k: v for k, v in (paths or {}).items() if v}
    unknown = set(paths) - set(TABLES)
    if unknown:
        raise InputError("error.io.unknown_tables", value=sorted(unknown), value2=', '.join(TABLES))
    wanted = list(tables) if tables else [t for t in TABLES if t in cfg.data or t in paths]
    tz = cfg.time_zone()
    t0, t1 = period_bounds(start, end, tz, cfg.locale)
    loc = client_locale(locale or cfg.locale)
    data = ClientData(locale=loc)
    if tz is None:
        data.notes.append(text("io.warning.time_zones", loc, client=repr(cfg.client), country=cfg.country))
    rejects, blanked = [], []
    for table in wanted:
        if table not in TABLES:
            raise InputError("error.io.unknown_table", table=repr(table), value=', '.join(TABLES))
        source = None
        if table in paths:
            path, shown = Path(paths[table]), str(paths[table])
        else:
            if table not in cfg.data:
                raise InputError("error.io.data_client_yml", client=repr(cfg.client), table=table)
            path, shown, source = cfg.data_path(table), cfg.data_file(table), cfg.data_source(table)
        sheet = None
        if "#" in str(path) and not Path(path).exists():
            p, _, sheet = str(path).rpartition("#")
            path = Path(p)
        accepted, rej, counts, details = load_table_detailed(path, table, ces_scale=cfg.kpi.ces_scale,
                                                             sheet=sheet, now=now, name=shown, source=source,
                                                             tz=tz, needed=(needed or {}).get(table), locale=loc,
                                                             columns=None if frames else _period_column(table, t0, t1))
        ts_col = SCHEMAS[table].main_ts
        counts["out_of_period"] = 0
        if ts_col and (t0 is not None or t1 is not None) and ts_col in accepted:
            keep = in_period(accepted[ts_col], t0, t1)
            counts["out_of_period"] = int((~keep).sum())
            if table == "contacts" and frames:
                data.contacts_after = _after_period(accepted, t1, cfg.kpi.repeat_window_days)
            accepted = accepted.loc[keep].reset_index(drop=True)
        setattr(data, table, accepted)
        data.details[table] = {k: v for k, v in details.items() if k != "blanked_cells"}
        data.details[table]["warnings"] = list(details.get("warnings", [])) + unmeasured_warnings(
            table, details, loc)
        data.counts[table] = counts
        rejects.append(rej)
        blanked.append(pd.DataFrame(details.get("blanked_cells") or [], columns=REJECT_COLUMNS))
    nonempty = [r for r in rejects if len(r)]
    data.rejects = pd.concat(nonempty, ignore_index=True) if nonempty else empty_rejects()
    nonempty = [b for b in blanked if len(b)]
    data.blanked = pd.concat(nonempty, ignore_index=True) if nonempty else empty_rejects()
    return data


def _period_column(table: str, t0, t1) -> list[str]:
    """The columns of ``table`` :func:`load` needs from its accepted rows when it does not keep
    the tables: the main time stamp with a period (its count out of the period), else none.

    >>> _period_column("contacts", None, None), _period_column("contacts", pd.Timestamp("2024-01-01"), None)
    ([], ['received_at'])
    """
    ts = SCHEMAS[table].main_ts
    return [ts] if ts and (t0 is not None or t1 is not None) else []


def unmeasured_warnings(table: str, details: dict, locale: str | None = None,
                        figures: list[str] | None = None) -> list[str]:
    """The warning, in the client's language, that ``table``'s columns filled with an assumed
    constant (``details["assumed"]``) leave KPIs not measured (none without such a column).
    ``figures``: the labels of the figures not measured, when not the KPIs (the staffing's,
    :func:`cxtoolkit.staffing.unmeasured`); none: no warning.

    >>> unmeasured_warnings("contacts", {"assumed": ["answered"], "preset": "comcast_complaints"}, "en")[0]
    'Short abandons; Answered calls; Abandoned calls; Answer rate; Abandonment rate; Service level; \
Emails answered within 24 h; Emails answered within 5 h; Chats answered within 60 s; \
Chats answered within 60 s (agent); Chats answered within 60 s (bot): not measured — \
column answered (contacts) is a constant assumed by preset comcast_complaints, not data from the export.'
    """
    cols = list(details.get("assumed") or ())
    if not cols or figures == []:
        return []
    from cxtoolkit.kpis.registry import label, unmeasured   # the KPI engine: only when a column is assumed

    sep = text("common.list_sep", locale)
    shown = sep.join(figures) if figures is not None else \
        sep.join(label(k, locale) for k in unmeasured({table: cols})) or ", ".join(cols)
    preset = details.get("preset")
    source = text("kpis.assumed_by_preset", locale, name=preset) if preset else "client.yml"
    return [text("kpis.unmeasured", locale, kpis=shown, column=", ".join(cols), table=table, source=source)]


def write_rejects(rejects: pd.DataFrame, out_dir: Path | str) -> Path:
    """Write ``rejects.csv`` into ``out_dir`` (UTF-8 with BOM so Excel opens it; formulas
    neutralised). Returns the file's path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "rejects.csv"
    frame = rejects if rejects is not None and len(rejects.columns) else empty_rejects()
    frame = frame.reindex(columns=REJECT_COLUMNS)
    return write_csv(frame, path, encoding="utf-8-sig")
