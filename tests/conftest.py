"""Shared test settings and fixtures (``client_folder``: a client folder from a dict).

Hypothesis: under CI (``CI=true``) property tests and fuzzing are derandomized, so a CI
run is reproducible; locally each run explores new examples.
"""
import io as _io
import os
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


# -- client folder factory ------------------------------------------------------------------

def write_client(root, slug: str = "acme", config=None, files=None) -> Path:
    """Write ``root/<slug>/client.yml`` and the client's data files; return client.yml's path.

    ``config``: the client.yml as a dict (``client: <slug>`` added when absent) or as YAML
    text written as is (to test what a user types). ``files``: ``{relative name: content}``
    with content a string (written UTF-8), bytes, a list of lines (joined, newline at the
    end) or a DataFrame (CSV, or Parquet / Excel by the name's suffix).
    """
    import pandas as pd
    import yaml

    folder = Path(root) / slug
    folder.mkdir(parents=True, exist_ok=True)
    if config is None:
        config = {}
    if isinstance(config, dict):
        config = yaml.safe_dump({"client": slug, **config}, sort_keys=False, allow_unicode=True)
    yml = folder / "client.yml"
    yml.write_text(config, encoding="utf-8")
    for name, content in (files or {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, pd.DataFrame):
            if path.suffix == ".parquet":
                content.to_parquet(path, index=False)
            elif path.suffix in (".xlsx", ".xls"):
                buf = _io.BytesIO()
                content.to_excel(buf, index=False)
                path.write_bytes(buf.getvalue())
            else:
                content.to_csv(path, index=False)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, (list, tuple)):
            path.write_text("\n".join(content) + "\n", encoding="utf-8")
        else:
            path.write_text(content, encoding="utf-8")
    return yml


@pytest.fixture()
def client_folder(tmp_path):
    """Factory of client folders under ``tmp_path/client_data``:
    ``client_folder("acme", {"data": {"contacts": "contacts.csv"}}, {"contacts.csv": text})``
    returns ``tmp_path/client_data/acme/client.yml`` (see :func:`write_client`)."""
    def make(slug: str = "acme", config=None, files=None, root=None) -> Path:
        return write_client(root if root is not None else tmp_path / "client_data", slug, config, files)

    return make
