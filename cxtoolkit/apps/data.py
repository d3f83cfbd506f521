"""Load what an app or the ``roi`` command needs for a client (the only file reading here
goes through :func:`cxtoolkit.io.load`).

Examples
--------
>>> cfg, case = client_roi_case(None, edited={"retention_rate": 0.3})
>>> cfg is None, case.sources["retention_rate"]
(True, 'edited')
"""
from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cxtoolkit import roi
from cxtoolkit.config import SLUG_RE, ClientConfig, load_client
from cxtoolkit.errors import InputError

log = logging.getLogger(__name__)
ENV_CLIENT = "CXTOOLKIT_CLIENT"
ENV_CLIENT_DATA = "CXTOOLKIT_CLIENT_DATA"


def client_from_env(client: str = "", client_data: str = "") -> tuple[str, str]:
    """The client slug and data folder an app should use: explicit values first, then the
    environment set by ``cxtoolkit app`` (``CXTOOLKIT_CLIENT``, ``CXTOOLKIT_CLIENT_DATA``).
    The slug is validated (``[a-z0-9-]+``)."""
    client = (client or os.environ.get(ENV_CLIENT, "")).strip()
    client_data = (client_data or os.environ.get(ENV_CLIENT_DATA, "")).strip()
    if client and not SLUG_RE.fullmatch(client) and not client.endswith((".yml", ".yaml")):
        raise InputError("error.apps.client_slug", client=repr(client))
    return client, client_data


def warm_cache(client: str, client_data: str | Path = "") -> dict[str, int]:
    """Parse the client's files once, into the parsed-table cache named by
    ``$CXTOOLKIT_CACHE_DIR`` (:mod:`cxtoolkit.io.cache`), so that every app kernel started
    later (the preheated pool, its refills, a kernel started for a visitor) reads validated
    tables back from Parquet instead of parsing them again: ``cxtoolkit app`` calls it before
    starting Voila. Returns ``{table: accepted rows}``; a client or file that cannot be read
    is only logged (the app itself then shows the problem on its page).
    """
    try:
        cfg = load_client(client, str(client_data) or None)
        if not cfg.data:
            return {}
        from cxtoolkit import io as cxio
        data = cxio.load(cfg)
    except Exception as exc:  # noqa: BLE001 - the app still starts; its page shows the problem
        log.warning("client data not cached (%s)", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return {}
    return {t: int(c.get("accepted", 0)) for t, c in data.counts.items()}


def client_roi_case(cfg: ClientConfig | str | Path | None, client_data: str | Path | None = None,
                    edited: Mapping[str, Any] | None = None, start: str | None = None,
                    end: str | None = None) -> tuple[ClientConfig | None, roi.RoiCase]:
    """``(cfg, case)``: the client's configuration (slug, client.yml path or config) and its
    ROI case prefilled from its sends/responses and ``client.yml`` ``roi``.

    Data that cannot be read (no ``sends``/``responses`` in client.yml, io layer missing)
    simply leaves those inputs to assumptions and defaults; invalid files raise
    :class:`InputError`.
    """
    if cfg is None or cfg == "":
        return None, roi.prefill(None, edited=edited)
    cfg, data = client_roi_data(cfg, client_data, start, end)
    return cfg, roi.prefill(cfg, getattr(data, "sends", None), getattr(data, "responses", None), edited=edited)


def client_roi_data(cfg: ClientConfig | str | Path, client_data: str | Path | None = None,
                    start: str | None = None, end: str | None = None):
    """``(cfg, data)``: the client's configuration and its loaded ``sends``/``responses``
    (:class:`cxtoolkit.io.ClientData`, None when client.yml declares neither)."""
    if not isinstance(cfg, ClientConfig):
        cfg = load_client(str(cfg), client_data or None)
    data = None
    tables = [t for t in ("sends", "responses") if t in cfg.data]
    if tables:
        try:
            from cxtoolkit import io as cxio
            data = cxio.load(cfg, tables=tables, start=start or None, end=end or None)
        except (ImportError, AttributeError) as exc:  # io layer not available yet
            log.warning("client data not loaded (%s); using assumptions", exc)
    return cfg, data
