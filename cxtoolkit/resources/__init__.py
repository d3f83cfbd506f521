"""Files shipped inside the package, found with :mod:`importlib.resources`.

The wheel carries everything a consultant needs without the repository:

* ``notebooks/`` — the audit notebooks and Voila apps (``kpis``, ``journey``, ``roi``, …);
* ``templates/`` — the ``client.yml`` template, evaluation grids, theme dictionaries,
  country benchmarks and the branded HTML report template;
* ``messages/catalogue.yml`` — the message catalogue (:mod:`cxtoolkit.messages`);
* ``clients/<slug>/client.yml`` — the demo clients' configuration (their data is generated
  by ``cxtoolkit demo``);
* ``labextensions/`` — JupyterLab extensions the Voila apps load (``cxtoolkit-plotly``: the
  Plotly renderer, built by ``js/plotly-renderer/build.mjs``);
* ``voila/page-chunks.json`` — the Voila scripts the apps' page loads (bundled into one).

Only this module knows where these files are. The package must be installed as plain files
(pip's default; not zipped): papermill, Voila and nbconvert need real paths.

>>> notebook("kpis").name, template("grids", "standard.yml").is_file()
('kpis.ipynb', True)
>>> sorted(DEMO_CLIENTS) == sorted(p.name for p in root().joinpath("clients").iterdir())
True
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

#: Slugs of the demo clients whose client.yml ships with the package.
DEMO_CLIENTS = ("demo", "demo-small")


def read_yaml(path: Path | str):
    """A YAML file of the package (:mod:`cxtoolkit.messages`' catalogue, the presets), parsed
    by libyaml when PyYAML was built with it: the same safe constructor (same values), ten
    times faster than the pure-Python parser (the 60 kB catalogue: 0.02 s instead of 0.18 s,
    paid by every command that shows a text). Files a user writes (client.yml) keep the
    pure-Python parser and its error messages.

    >>> read_yaml(root() / "messages" / "catalogue.yml")["kpis"]["commentary"]["no_trend"]["en"]
    '{name}: not enough periods for a trend.'
    """
    return parse_yaml(Path(path).read_text(encoding="utf-8"))


def parse_yaml(text: str):
    """:func:`read_yaml` of a text (a part of a package file: :mod:`cxtoolkit.messages` reads
    its catalogue a top-level key at a time).

    >>> parse_yaml("a:\\n  b: 1\\n")
    {'a': {'b': 1}}
    """
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def root() -> Path:
    """Folder of the package's resources (a real folder: the package is installed as files)."""
    return Path(str(files(__name__)))


def notebooks_dir() -> Path:
    """Folder of the packaged notebooks."""
    return root() / "notebooks"


def notebook(name: str) -> Path:
    """Path of the packaged notebook ``name`` (without ``.ipynb``); it may not exist."""
    return notebooks_dir() / f"{name}.ipynb"


def template(*parts: str) -> Path:
    """Path of a packaged template, e.g. ``template("grids", "standard.yml")``;
    ``template()`` is the templates folder itself."""
    return root().joinpath("templates", *parts)


def labextensions_dir() -> Path:
    """Folder of the packaged JupyterLab extensions (one folder each, as ``jupyter
    labextension`` installs them).

    >>> (labextensions_dir() / "cxtoolkit-plotly" / "package.json").is_file()
    True
    """
    return root() / "labextensions"


def voila_page_chunks() -> Path:
    """The Voila page's own script chunks the apps' page requests, recorded for one Voila
    version (``voila/page-chunks.json``: ``{"voila": version, "chunks": [file names]}``),
    bundled into one script by :func:`cxtoolkit.apps.serve.offline_template`.

    >>> voila_page_chunks().is_file()
    True
    """
    return root() / "voila" / "page-chunks.json"


def messages_file() -> Path:
    """The message catalogue (``messages/catalogue.yml``: each key's fr / en / es texts)."""
    return root() / "messages" / "catalogue.yml"


def demo_client_yml(slug: str) -> Path | None:
    """The packaged ``client.yml`` of demo client ``slug``, None for any other slug.

    >>> demo_client_yml("demo").name, demo_client_yml("acme")
    ('client.yml', None)
    """
    if slug not in DEMO_CLIENTS:
        return None
    return root() / "clients" / slug / "client.yml"
