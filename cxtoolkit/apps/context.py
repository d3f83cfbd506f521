"""Where an app notebook gets its client from: papermill parameters, or the environment
when the kernel runs under Voila.

``cxtoolkit app NAME --client C`` (:mod:`cxtoolkit.apps.serve`) hands the client to the
kernel through the environment (``CXTOOLKIT_CLIENT``, ``CXTOOLKIT_CLIENT_DATA``), and
``--locale`` too (``CXTOOLKIT_APP_LOCALE``, :func:`app_locale`). Under
Voila those values always win over the notebook's own parameter values, so nothing in a
notebook (or a page) can point an app launched for one client at another client's folder.
Under papermill or Jupyter the notebook's values are used unchanged (the audit keeps its
behaviour).

Examples
--------
>>> p = app_parameters(env={}, client="demo", client_data="", period_start="", out_dir="out")
>>> p["client"], p["out_dir"], p["app_mode"]
('demo', 'out', False)
>>> env = {"VOILA_BASE_URL": "/", "CXTOOLKIT_CLIENT": "acme", "CXTOOLKIT_CLIENT_DATA": "/data"}
>>> p = app_parameters(env=env, client="other", client_data="/elsewhere", out_dir="out")
>>> p["client"], p["client_data"], p["out_dir"], p["app_mode"]
('acme', '/data', '', True)
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from cxtoolkit.config import SLUG_RE
from cxtoolkit.envvars import ENV_APP_LOCALE
from cxtoolkit.errors import InputError, check_locale

ENV_CLIENT = "CXTOOLKIT_CLIENT"
ENV_CLIENT_DATA = "CXTOOLKIT_CLIENT_DATA"
#: Set by Voila in every kernel it starts (preheated or per request).
VOILA_MARKERS = ("VOILA_BASE_URL", "VOILA_KERNEL_ID", "VOILA_APP_PORT")
#: Set by Voila to "True" in the kernels of its preheated pool ("False" in a kernel started
#: for a visitor who found the pool empty).
VOILA_PREHEAT = "VOILA_PREHEAT"


def in_voila(env: Mapping[str, str] | None = None) -> bool:
    """Whether this kernel was started by Voila (it sets ``VOILA_*`` variables).

    >>> in_voila({}), in_voila({"VOILA_BASE_URL": "/"})
    (False, True)
    """
    env = os.environ if env is None else env
    return any(env.get(k) for k in VOILA_MARKERS)


def preheated(env: Mapping[str, str] | None = None) -> bool:
    """Whether this kernel belongs to Voila's preheated pool: it runs the notebook before
    any visitor comes, so work that makes the visitor's page faster later (warming up
    charts) is free there; in a kernel started for a waiting visitor it is not.

    >>> preheated({"VOILA_PREHEAT": "True"}), preheated({"VOILA_PREHEAT": "False"}), preheated({})
    (True, False, False)
    """
    env = os.environ if env is None else env
    return env.get(VOILA_PREHEAT) == "True"


def app_locale(locale: str | None = "", env: Mapping[str, str] | None = None) -> str:
    """The language an app page is drawn in, before its client.yml is read: under Voila,
    ``$CXTOOLKIT_APP_LOCALE`` when set (``cxtoolkit app --locale``), else ``locale`` (the
    notebook's parameter). Empty: the page then takes client.yml's ``locale``, else French
    (``params.locale or cfg.locale``). So the order is ``--locale`` > client.yml > French.

    >>> app_locale("", {}), app_locale("", {"VOILA_KERNEL_ID": "k", ENV_APP_LOCALE: "en"})
    ('', 'en')
    >>> app_locale("fr", {ENV_APP_LOCALE: "en"})      # not under Voila: the notebook's value
    'fr'
    """
    env = os.environ if env is None else env
    chosen = (env.get(ENV_APP_LOCALE) or "").strip() if in_voila(env) else ""
    return check_locale(chosen, ENV_APP_LOCALE) if chosen else (locale or "")


def app_parameters(env: Mapping[str, str] | None = None, **notebook_params: Any) -> dict[str, Any]:
    """The parameters a notebook should run with.

    Parameters
    ----------
    env : mapping, optional
        The environment (default :data:`os.environ`; tests pass their own).
    **notebook_params
        The notebook's parameter values (``client``, ``client_data``, ``period_start``, ...).

    Returns
    -------
    dict
        ``notebook_params`` plus ``app_mode`` (bool). Under papermill / Jupyter the values
        are returned unchanged. Under Voila (``app_mode`` True):

        * ``client`` is ``$CXTOOLKIT_CLIENT`` (a validated slug) when set, else the
          notebook's committed default — never a value from the page;
        * ``client_data`` is ``$CXTOOLKIT_CLIENT_DATA`` when set (else the notebook's);
        * ``locale`` is ``$CXTOOLKIT_APP_LOCALE`` when set (:func:`app_locale`);
        * ``out_dir`` is emptied: an app never writes files; ``results_dir`` too: an app
          computes live for the chosen period and segment.

    Raises
    ------
    InputError
        ``$CXTOOLKIT_CLIENT`` (or, under Voila, the client used) is not a valid slug.

    Examples
    --------
    >>> app_parameters(env={"VOILA_KERNEL_ID": "k", "CXTOOLKIT_CLIENT": "../x"}, client="demo")
    Traceback (most recent call last):
    ...
    cxtoolkit.errors.InputError: CXTOOLKIT_CLIENT '../x': client slug must match [a-z0-9-]+
    """
    env = os.environ if env is None else env
    params = dict(notebook_params)
    if not in_voila(env):
        params["app_mode"] = False
        return params
    client = (env.get(ENV_CLIENT) or "").strip()
    if client:
        if not SLUG_RE.fullmatch(client):
            raise InputError("error.apps.env_client_slug", variable=ENV_CLIENT, client=repr(client))
        params["client"] = client
    elif "client" in params and not SLUG_RE.fullmatch(str(params["client"] or "")):
        raise InputError("error.apps.env_client_slug", variable="client", client=repr(params["client"]))
    data = (env.get(ENV_CLIENT_DATA) or "").strip()
    if data:
        params["client_data"] = data
    if "locale" in params:
        params["locale"] = app_locale(params["locale"], env)
    for key in ("out_dir", "results_dir"):    # an app never writes files, and computes live
        if key in params:
            params[key] = ""
    params["app_mode"] = True
    return params
