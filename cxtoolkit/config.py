"""Typed client configuration, loaded from ``client_data/<client>/client.yml``.

The configuration is the only place a client's settings live: opening hours, KPI
thresholds, target overrides, data file paths, journey stages and ROI assumptions.
Every path it names is resolved *inside* the client's folder; anything that would
escape it (``..``, absolute paths, symlinks pointing elsewhere) is refused.

Examples
--------
>>> cfg = ClientConfig(client="acme", name="Acme")
>>> cfg.kpi.short_abandon_s
5.0
"""
from __future__ import annotations

import difflib
import os
import re
from functools import lru_cache
from pathlib import Path
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, ValidationInfo, field_validator

from cxtoolkit.envvars import ENV_HOME
from cxtoolkit.errors import FieldErrors, FieldValueError, InputError, YamlProblem
from cxtoolkit.kpi_table import KPI_CODES
from cxtoolkit.messages import CLIENT_LOCALES, DEFAULT_LOCALE, remember_client_locale, text
from cxtoolkit.schemas import SCHEMAS

SLUG_RE = re.compile(r"^[a-z0-9-]+$")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_CLIENT_DATA = Path("client_data")
ENV_CLIENT_DATA = "CXTOOLKIT_CLIENT_DATA"
TABLES = ("contacts", "responses", "sends", "evaluations", "agents", "daily_reports")


def check_slug(value: str) -> str:
    """``value`` if it is a valid client slug (``[a-z0-9-]+``), else ValueError.

    >>> check_slug("demo-small")
    'demo-small'
    """
    if not SLUG_RE.fullmatch(value or ""):
        raise FieldValueError("error.setting.client_slug", value=repr(value))
    return value


def parse_hhmm(value: str) -> float:
    """Hours since midnight of ``"HH:MM"`` (``"24:00"`` allowed): the opening hours of
    client.yml, read by the calendar, the out-of-core engine and the demo data.

    >>> parse_hhmm("08:30"), parse_hhmm("24:00")
    (8.5, 24.0)
    """
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", str(value).strip())
    if not m:
        raise FieldValueError("error.setting.time_hhmm", value=repr(value))
    h, mi = int(m.group(1)), int(m.group(2))
    if h > 24 or mi > 59 or (h == 24 and mi != 0):
        raise FieldValueError("error.setting.time_range", value=repr(value))
    return h + mi / 60.0


class KpiSettings(BaseModel):
    """Thresholds used by the KPI definitions (see the KPI glossary)."""

    model_config = ConfigDict(extra="forbid")
    short_abandon_s: float = Field(5.0, ge=0)
    service_level_s: float = Field(20.0, ge=0)
    repeat_window_days: float = Field(7.0, gt=0)
    ces_scale: Literal[5, 7] = 7
    service_level_formula: Literal["offered", "answered_plus_late_abandons", "answered_only"] = "offered"
    min_answers: int = Field(30, ge=1)


class StaffingSettings(BaseModel):
    """Staffing assumptions (``staffing:`` in client.yml) for the Erlang plan and its cost.

    The service-level target itself comes from ``targets.service_level`` and
    ``kpi.service_level_s`` (the same target the KPI report shows).
    """

    model_config = ConfigDict(extra="forbid")
    interval_min: Literal[15, 30, 60] = 60
    hourly_cost: float | None = Field(None, ge=0)      # loaded cost of one agent hour
    shrinkage: float = Field(0.30, ge=0, lt=1)          # paid time not on the phones
    max_occupancy: float = Field(0.85, gt=0, le=1)
    patience_s: float | None = Field(None, gt=0)        # mean patience (Erlang A); None = from data
    max_wait_probability: float | None = Field(None, gt=0, le=1)
    max_asa_s: float | None = Field(None, gt=0)


BusinessHours = dict[str, tuple[str, str]]

#: one mapped source: the export's header, a list of headers joined with a space (a date and a
#: time in two columns), or ``{join: [...], sep: "-", format: "%y%m%d %H:%M:%S",
#: day_number_from: "2024-01-01"}`` (see cxtoolkit.io.mapping)
ColumnSource = str | list[str] | dict[str, Any]


class DataSource(BaseModel):
    """One ``data.<table>`` entry written as a mapping (see cxtoolkit.io.mapping).

    The plain form ``contacts: contacts.csv`` is the same as ``{file: contacts.csv}``.
    """

    model_config = ConfigDict(extra="forbid")
    file: str
    sheet: str | int | None = None
    preset: str | None = None
    header_rows: int = Field(1, ge=1)
    columns: dict[str, ColumnSource] = Field(default_factory=dict)
    constants: dict[str, Any] = Field(default_factory=dict)
    values: dict[str, dict[Any, Any]] = Field(default_factory=dict)
    #: constants that are assumptions, not facts of the export (cxtoolkit.io.mapping)
    assumed: list[str] = Field(default_factory=list)


def _check_hours(hours: dict[str, Any]) -> BusinessHours:
    out: BusinessHours = {}
    for day, span in (hours or {}).items():
        d = str(day).lower()[:3]
        if d not in DAYS:
            raise FieldValueError("error.setting.unknown_day", value=repr(day), days=", ".join(DAYS))
        if not isinstance(span, (list, tuple)) or len(span) != 2:
            raise FieldValueError("error.setting.day_span", day=day, value=repr(span))
        start, end = parse_hhmm(span[0]), parse_hhmm(span[1])
        if end <= start:
            raise FieldValueError("error.setting.day_order", day=day, end=span[1], start=span[0])
        out[d] = (str(span[0]), str(span[1]))
    return out


class ClientConfig(BaseModel):
    """One client's settings (the ``client.yml`` of data-contract.md).

    Every level whose keys are a fixed set refuses an unknown key (a typo such as ``colums:``
    would otherwise be ignored silently): the settings themselves, ``kpi:``, ``staffing:``,
    ``data:`` (table names) and each table's ``columns:`` / ``constants:`` / ``values:``
    (its canonical columns), see :func:`unknown_keys`. Free on purpose: the names a consultant
    chooses (``journey`` stages, ``journey_reasons`` / ``journey_touchpoints`` keys, countries
    of ``business_hours_by_country``, the raw values recoded under ``values.<column>``), and the
    blocks checked by the module that reads them (``roi:`` by :mod:`cxtoolkit.roi`, ``quality:``
    by :mod:`cxtoolkit.quality.settings`, ``demo:`` by :mod:`cxtoolkit.datasets`).
    """

    model_config = ConfigDict(extra="forbid")

    client: str
    name: str = ""
    country: str = "FR"
    #: IANA time zone of the client's local time (default: the country's, see :meth:`time_zone`)
    timezone: str | None = None
    currency: str = "EUR"
    locale: Literal["fr", "en"] = "fr"
    business_hours: BusinessHours = Field(
        default_factory=lambda: {d: ("09:00", "18:00") for d in DAYS[:5]}
    )
    business_hours_by_country: dict[str, BusinessHours] = Field(default_factory=dict)
    open_on_public_holidays: bool = False   # True: a public holiday keeps its business hours
    kpi: KpiSettings = Field(default_factory=KpiSettings)
    targets: dict[str, float] = Field(default_factory=dict)
    data: dict[str, str | DataSource] = Field(default_factory=dict)
    journey: list[str] = Field(default_factory=list)
    journey_reasons: dict[str, str] = Field(default_factory=dict)
    journey_touchpoints: dict[str, str] = Field(default_factory=dict)   # survey touchpoint -> stage
    roi: dict[str, Any] = Field(default_factory=dict)
    #: QA calibration settings (checked by cxtoolkit.quality.settings.QualitySettings)
    quality: dict[str, Any] | None = None
    #: size of the generated demo data (checked by cxtoolkit.datasets.demo_settings)
    demo: Any = None
    staffing: StaffingSettings = Field(default_factory=StaffingSettings)
    notebooks: list[str] | None = None
    #: the consultancy's own PowerPoint master for the audit deck (a path in the client folder)
    deck_template: str | None = None
    folder: Path | None = Field(default=None, exclude=True)
    #: the client.yml read (for the line of a key refused later, see :func:`refuse_unknown_keys`)
    _source: Path | None = PrivateAttr(default=None)

    @field_validator("client")
    @classmethod
    def _slug(cls, v: str) -> str:
        return check_slug(v)

    @field_validator("country")
    @classmethod
    def _country(cls, v: str) -> str:
        v = str(v).upper()
        if not re.fullmatch(r"[A-Z]{2}", v):
            raise FieldValueError("error.setting.country_iso", value=repr(v))
        return v

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, v: str | None) -> str | None:
        if v is not None and not _known_zone(v):
            raise FieldValueError("error.setting.timezone_iana", value=repr(v))
        return v

    @field_validator("business_hours", mode="before")
    @classmethod
    def _hours(cls, v: Any) -> BusinessHours:
        return _check_hours(v)

    @field_validator("business_hours_by_country", mode="before")
    @classmethod
    def _hours_by_country(cls, v: Any) -> dict[str, BusinessHours]:
        return {str(k).upper(): _check_hours(h) for k, h in (v or {}).items()}

    @field_validator("data")
    @classmethod
    def _data(cls, v: dict[str, str | DataSource]) -> dict[str, str | DataSource]:
        unknown = set(v) - set(TABLES)
        if unknown:
            raise FieldValueError("error.setting.data_tables", value=sorted(unknown), known=", ".join(TABLES))
        return v

    @field_validator("journey_touchpoints")
    @classmethod
    def _touchpoints(cls, v: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        journey = info.data.get("journey") or []
        bad = sorted({s for s in v.values() if s not in journey})
        if journey and bad:
            raise FieldValueError("error.setting.journey_stage", value=", ".join(map(repr, bad)), journey=", ".join(journey))
        return v

    # -- helpers -----------------------------------------------------------------
    def hours_for(self, country: str | None = None) -> BusinessHours:
        """Opening hours of ``country`` (its override if any, else the client's)."""
        if country and country.upper() in self.business_hours_by_country:
            return self.business_hours_by_country[country.upper()]
        return self.business_hours

    def time_zone(self) -> str | None:
        """The client's local time zone: ``timezone`` in client.yml, else the only zone of
        ``country``; None for a country spanning several zones (US, CA, AU...) without one.

        >>> ClientConfig(client="acme", country="GB").time_zone()
        'Europe/London'
        >>> ClientConfig(client="acme", country="US").time_zone() is None
        True
        """
        return self.timezone or country_time_zone(self.country)

    def data_path(self, table: str) -> Path | None:
        """Resolved path of ``table``'s file, refusing anything outside the client folder."""
        rel = self.data_file(table)
        if rel is None:
            return None
        if self.folder is None:
            raise InputError("error.config.folder_resolve_data", client=repr(self.client), table=table)
        return safe_join(self.folder, rel, what=f"data.{table}")

    def data_file(self, table: str) -> str | None:
        """The file named by ``data.<table>`` (plain or mapping form), as written."""
        src = self.data.get(table)
        return src.file if isinstance(src, DataSource) else src

    def data_source(self, table: str) -> DataSource | None:
        """``data.<table>`` as a :class:`DataSource` (the plain form becomes ``{file: ...}``)."""
        src = self.data.get(table)
        if src is None or isinstance(src, DataSource):
            return src
        return DataSource(file=src)

    def deck_template_path(self) -> Path | None:
        """The audit deck's ``.pptx`` master (``deck_template``), checked: inside the client
        folder, a ``.pptx`` file that exists; None when client.yml names none.

        >>> ClientConfig(client="acme").deck_template_path() is None
        True
        """
        if not self.deck_template:
            return None
        if self.folder is None:
            raise InputError("error.config.folder_resolve_deck", client=repr(self.client))
        p = safe_join(self.folder, self.deck_template, what="deck_template")
        if p.suffix.lower() != ".pptx":
            raise InputError("error.config.powerpoint_pptx_file", deck_template=self.deck_template)
        if not p.is_file():
            raise InputError("error.config.file_found", deck_template=self.deck_template, folder=self.folder)
        return p

    def target(self, key: str, default: float | None) -> float | None:
        return self.targets.get(key, default)


def _known_zone(name: str) -> bool:
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


@lru_cache(maxsize=1)
def _zones_by_country() -> dict[str, tuple[str, ...]]:
    """``{ISO country: zones}`` from the tz database's zone.tab (the tzdata package, else the system's)."""
    text = ""
    try:
        from importlib.resources import files

        text = files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        try:
            text = Path("/usr/share/zoneinfo/zone.tab").read_text(encoding="utf-8")
        except OSError:
            text = ""
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and not line.startswith("#"):
            out.setdefault(parts[0].upper(), []).append(parts[2])
    return {k: tuple(v) for k, v in out.items()}


#: countries with several zones where one holds nearly everyone (islands and enclaves aside);
#: the others (US, CA, AU, BR, MX, RU, ID...) need ``timezone:`` in client.yml
MAIN_ZONES = {"ES": "Europe/Madrid", "PT": "Europe/Lisbon", "DE": "Europe/Berlin", "CY": "Asia/Nicosia",
              "UA": "Europe/Kyiv", "NZ": "Pacific/Auckland", "CL": "America/Santiago",
              "EC": "America/Guayaquil", "AR": "America/Argentina/Buenos_Aires", "CN": "Asia/Shanghai",
              "MY": "Asia/Kuala_Lumpur", "UZ": "Asia/Tashkent", "KZ": "Asia/Almaty"}


def country_time_zone(country: str) -> str | None:
    """The time zone of a country with one zone (``FR`` → ``Europe/Paris``) or one main zone
    (:data:`MAIN_ZONES`), else None.

    >>> country_time_zone("fr"), country_time_zone("ES"), country_time_zone("BR")
    ('Europe/Paris', 'Europe/Madrid', None)
    """
    code = str(country).upper()
    zones = _zones_by_country().get(code, ())
    return zones[0] if len(zones) == 1 else MAIN_ZONES.get(code)


def safe_join(base: Path, rel: str | Path, what: str = "path") -> Path:
    """Join ``rel`` to ``base`` and refuse results outside ``base`` (after symlinks).

    >>> safe_join(Path("/tmp/c"), "contacts.csv").name
    'contacts.csv'
    >>> safe_join(Path("/tmp/c"), "../other/x.csv")
    Traceback (most recent call last):
    ...
    cxtoolkit.errors.InputError: ../other/x.csv (path): outside /tmp/c
    """
    rel_p = Path(rel)
    base_r = Path(base).resolve()
    if rel_p.is_absolute():
        raise InputError("error.config.absolute_paths_allowed", rel=rel, what=what, base_r=base_r)
    target = (base_r / rel_p).resolve()
    if target != base_r and base_r not in target.parents:
        raise InputError("error.config.outside", rel=rel, what=what, base_r=base_r)
    return target


def home() -> Path:
    """The working folder (client folders, reports, ``cxtoolkit.yml``): ``$CXTOOLKIT_HOME``
    (set by ``cxtoolkit --workdir``), else the current folder. See :mod:`cxtoolkit.workspace`."""
    env = os.environ.get(ENV_HOME, "").strip()
    return Path(env).expanduser() if env else Path.cwd()


def default_client_data() -> Path:
    """Where client folders live when not given: ``$CXTOOLKIT_CLIENT_DATA``, else
    ``client_data/`` of the working folder (:func:`home`), else
    ``../client_data`` (a notebook opened from a folder beside it)."""
    env = os.environ.get(ENV_CLIENT_DATA)
    if env:
        return Path(env)
    for cand in (home() / "client_data", Path.cwd().parent / "client_data"):
        if cand.is_dir():
            return cand
    return home() / "client_data"


def client_folder(client: str, client_data: Path | str | None = None) -> Path:
    """Folder of ``client`` under ``client_data``; validates the slug and refuses a folder
    that is a symlink (e.g. ``gamma -> beta``: another client's data under this name).

    Every entry point that takes a client slug (audit, validate, kpis, verbatims, quality,
    apps) goes through here, so the rule holds everywhere.
    """
    client_data = client_data or default_client_data()
    if not SLUG_RE.fullmatch(client or ""):
        raise InputError("error.config.client_slug_match", client=repr(client))
    link = Path(client_data) / client
    if link.is_symlink():
        raise InputError("error.config.folder_symlink_client",
                         client=repr(client),
                         link=link,
                         value=link.resolve())
    return safe_join(Path(client_data), client, what="client")


#: deepest nesting a client.yml may have (the real ones use 4: roi.segments.x.y)
MAX_DEPTH = 20


def _depth(value: Any, limit: int = MAX_DEPTH + 1) -> int:
    """Nesting depth of lists/dicts in ``value``, iteratively (no recursion), stopping at
    ``limit``; a container shared through YAML aliases is walked once.

    >>> _depth({"a": [1, {"b": 2}]})
    3
    """
    deepest, stack, seen = 0, [(value, 1)], set()
    while stack:
        v, d = stack.pop()
        if isinstance(v, (dict, list, tuple)) and id(v) not in seen:
            seen.add(id(v))
            deepest = max(deepest, d)
            if d >= limit:
                return d
            stack.extend((c, d + 1) for c in (v.values() if isinstance(v, dict) else v))
    return deepest


def load_config(path: Path | str) -> ClientConfig:
    """Read and validate a ``client.yml``; errors name the file and the field."""
    p = Path(path)
    if not p.is_file():
        raise InputError("error.config.client_configuration_found", p=p)
    cfg = read_model(p, ClientConfig)
    cfg.folder = p.resolve().parent
    cfg._source = p
    return cfg


def refuse_unknown_keys(cfg: ClientConfig, path: tuple[str, ...], known) -> None:
    """Refuse the keys of the mapping at ``path`` of ``cfg`` that are not in ``known``, said as
    an unknown setting is: the file, the key, its line, "did you mean". For a configuration
    made in code (:func:`load_config` already refuses them in a file, :func:`unknown_keys`):
    the KPI codes of ``targets:`` where KPIs are computed
    (:func:`cxtoolkit.kpis.registry.check_targets`).

    >>> refuse_unknown_keys(ClientConfig(client="x", targets={"answer_rat": 0.9}), ("targets",),
    ...                     ["answer_rate", "nps"])
    Traceback (most recent call last):
    ...
    cxtoolkit.errors.InputError: client.yml: targets.answer_rat: unknown key, did you mean `answer_rate`?
    """
    mapping: Any = cfg
    for part in path:
        mapping = mapping.get(part) if isinstance(mapping, dict) else getattr(mapping, part, None)
    known = [str(k) for k in known]
    errors = [unknown_key_error((*path, k), known) for k in (mapping or {}) if str(k) not in known]
    if errors:
        p = cfg._source
        body = p.read_text(encoding="utf-8") if p is not None and p.is_file() else ""
        raise InputError("error.config.invalid", p=p or "client.yml", msgs=FieldErrors(errors, _lines(body, errors)))


def read_model(p: Path, model: type[BaseModel]):
    """Read the YAML file ``p`` into a ``model`` instance; errors name the file, the field and
    its line."""
    try:
        body = p.read_text(encoding="utf-8")
        raw = yaml.safe_load(body) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError("error.config.valid_yaml", p=p, value=YamlProblem(exc)) from None
    except RecursionError:
        raise InputError("error.config.nested_too_deeply", p=p) from None
    if not isinstance(raw, dict):
        raise InputError("error.config.expected_mapping_top", p=p)
    if _depth(raw) > MAX_DEPTH:
        raise InputError("error.config.nested_more_than", p=p, MAX_DEPTH=MAX_DEPTH)
    if model is ClientConfig and raw.get("locale", DEFAULT_LOCALE) in CLIENT_LOCALES:
        remember_client_locale(raw.get("locale", DEFAULT_LOCALE))   # its errors are said in its language
    unknown = unknown_keys(raw) if model is ClientConfig else []
    try:
        cfg = model(**raw)
    except ValidationError as exc:
        errors = unknown + _with_suggestions(exc.errors(), model, unknown)
    else:
        if not unknown:
            return cfg
        errors = unknown
    raise InputError("error.config.invalid", p=p, msgs=FieldErrors(errors, _lines(body, errors))) from None


#: the keys of a ``data.<table>`` mapping that name the table's canonical columns
COLUMN_KEYS = ("columns", "constants", "values")


def unknown_keys(raw: dict) -> list[dict]:
    """Errors (in pydantic's form) for the unknown keys of client.yml's fixed-key mappings
    that the models leave as plain dicts: the KPI codes of ``targets:``
    (:data:`cxtoolkit.kpi_table.KPI_CODES`), the table names of ``data:`` and the canonical
    columns of each table's ``columns:`` / ``constants:`` / ``values:``.

    >>> [e["loc"] for e in unknown_keys({"data": {"contact": "f.csv"}, "targets": {"servce_level": 0.8}})]
    [('targets', 'servce_level'), ('data', 'contact')]
    """
    targets = raw.get("targets")
    out = [unknown_key_error(("targets", k), KPI_CODES) for k in targets if str(k) not in KPI_CODES] \
        if isinstance(targets, dict) else []
    data = raw.get("data")
    if not isinstance(data, dict):
        return out
    out += [unknown_key_error(("data", t), TABLES) for t in data if t not in TABLES]
    for table, src in data.items():
        if table in SCHEMAS and isinstance(src, dict):
            names = SCHEMAS[table].names
            for part in COLUMN_KEYS:
                if isinstance(src.get(part), dict):
                    out += [unknown_key_error(("data", table, part, k), names)
                            for k in src[part] if str(k) not in names]
    return out


def unknown_key_error(loc: tuple, known) -> dict:
    """A validation error (pydantic's form, for :class:`~cxtoolkit.errors.FieldErrors`) for the
    unknown key ``loc[-1]``: "did you mean `columns`?" when a ``known`` key is close, else the
    known keys.

    >>> unknown_key_error(("colums",), ["client", "columns"])["msg"]
    'unknown key, did you mean `columns`?'
    """
    known = [str(k) for k in known]
    close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    if not close and len(loc) == 1:     # a nested setting written at the top: `colums:`
        nested = _nested_keys()
        close = [nested[k] for k in difflib.get_close_matches(str(loc[0]), list(nested), n=1, cutoff=0.6)]
    kind, ctx = ("unknown_key_hint", {"key": close[0]}) if close else ("unknown_key_known", {"known": ", ".join(known)})
    return {"loc": tuple(loc), "type": kind, "msg": text(f"error.field.{kind}", "en", **ctx), "ctx": ctx}


def _with_suggestions(errors: list[dict], model: type[BaseModel], unknown: list[dict]) -> list[dict]:
    """pydantic's ``errors`` with each unknown key (``extra_forbidden``) said as
    :func:`unknown_key_error`, the union members' names taken out of the locations
    (``data.contacts.DataSource.colums`` is ``data.contacts.colums``), the plain-file
    alternative of a table written as a mapping left out, and the errors ``unknown`` already
    says (an unknown table) not said twice."""
    said = {e["loc"][:2] for e in unknown if e["loc"][:1] == ("data",)}
    out = []
    for e in errors:
        loc = tuple(x for x in e.get("loc") or () if x != DataSource.__name__)
        if loc[:1] == ("data",) and (loc == ("data",) and said or len(loc) == 3 and loc[2] == "str"):
            continue    # the unknown table (said above) / "not a file name" of a mapping
        known = _fields_at(model, loc[:-1]) if e.get("type") == "extra_forbidden" else None
        out.append(unknown_key_error(loc, known) if known else {**e, "loc": loc})
    return out


@lru_cache(maxsize=1)
def _nested_keys() -> dict[str, str]:
    """``{setting: where it is written}`` for the settings one level down (``columns`` →
    ``data.<table>.columns``, ``service_level_s`` → ``kpi.service_level_s``).

    >>> _nested_keys()["columns"], _nested_keys()["hourly_cost"]
    ('data.<table>.columns', 'staffing.hourly_cost')
    """
    out = {}
    for name in ClientConfig.model_fields:
        path = (name, "<table>") if name == "data" else (name,)
        for key in _fields_at(ClientConfig, path) or ():
            out.setdefault(key, ".".join((*path, key)))
    return out


def _fields_at(model: type[BaseModel], path: tuple) -> list[str] | None:
    """The field names of the settings model found at ``path`` of ``model`` (through
    ``X | None`` and ``dict[str, X]``), None when there is none.

    >>> _fields_at(ClientConfig, ("data", "contacts"))[:2]
    ['file', 'sheet']
    """
    tp: Any = model
    for part in path:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(str(part))
            tp = field.annotation if field else None
        elif get_origin(tp) is dict:
            tp = get_args(tp)[1]
        else:
            return None
        if get_origin(tp) in (Union, UnionType):
            tp = next((a for a in get_args(tp) if isinstance(a, type) and issubclass(a, BaseModel)), tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [k for k, f in tp.model_fields.items() if not f.exclude]
    return None


def _lines(body: str, errors: list[dict]) -> dict[tuple, int]:
    """``{loc: line}``: the line of ``body`` (YAML) where each error's field is written (the
    deepest key of its ``loc`` that the file has)."""
    try:
        root = yaml.compose(body)
    except (yaml.YAMLError, RecursionError):
        return {}
    out = {}
    for e in errors:
        node, line = root, None
        for part in e.get("loc") or ():
            if isinstance(node, yaml.MappingNode):
                hit = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                hit = (node.value[part], node.value[part])
            else:
                hit = None
            if hit is None:
                break
            line, node = hit[0].start_mark.line + 1, hit[1]
        if line is not None:
            out[tuple(e.get("loc") or ())] = line
    return out


def load_client(client: str | Path, client_data: Path | str | None = None) -> ClientConfig:
    """Load a client by slug (folder under ``client_data``) or by path to its client.yml."""
    p = Path(client)
    if p.suffix in (".yml", ".yaml") or p.is_file():
        return load_config(p)
    cfg = load_config(client_folder(str(client), client_data) / "client.yml")
    if cfg.client != str(client):
        raise InputError("error.config.client_yml_names", client=repr(str(client)), client2=repr(cfg.client))
    return cfg
