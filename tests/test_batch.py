"""Batch audits: failure isolation on the local process pool (through the CLI), and the
same work on a Dask LocalCluster."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cxtoolkit.audit.batch import list_clients, parse_clients, run_batch
from cxtoolkit.errors import InputError

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.notebook


def _clients(root: Path) -> Path:
    from conftest import write_client

    cd = root / "client_data"
    write_client(cd, "good", {"name": "good"})
    write_client(cd, "broken", {"name": "broken"}, {"status.txt": "broken\n"})       # tiny_ok fails on it
    write_client(cd, "badyml", {"kpi": {"short_abandon_s": -1}})
    return cd


def test_parse_clients(tmp_path):
    cd = _clients(tmp_path)
    assert list_clients(cd) == ["badyml", "broken", "good"]
    assert parse_clients("all", cd) == ["badyml", "broken", "good"]
    assert parse_clients(" good,broken ,good", cd) == ["good", "broken"]
    with pytest.raises(InputError):
        parse_clients("good,../etc", cd)
    with pytest.raises(InputError, match="no client folder"):
        parse_clients("all", tmp_path / "empty")


def test_batch_failure_isolation_via_cli(tmp_path):
    cd = _clients(tmp_path)
    out = tmp_path / "reports"
    p = subprocess.run(
        [sys.executable, "-m", "cxtoolkit.cli.main", "batch", "--clients", "good,broken,badyml",
         "--period", "2026-10", "--workers", "2", "--client-data", str(cd), "--out", str(out),
         "--notebooks", str(DATA / "tiny_ok.ipynb"), "--timeout", "120", "--json"],
        capture_output=True, text=True, timeout=400)
    assert p.returncode == 1, p.stderr[-2000:]
    res = json.loads(p.stdout)
    by = {c["client"]: c for c in res["clients"]}
    assert [c["client"] for c in res["clients"]] == ["good", "broken", "badyml"]
    assert res["ok"] == 1 and res["failed"] == 2 and res["backend"] == "processes"
    assert by["good"]["status"] == "ok" and by["good"]["error"] is None
    assert by["broken"]["status"] == "failed"
    assert by["broken"]["error"] == "tiny_ok: ValueError: broken data for broken: status.txt says broken"
    assert by["badyml"]["status"] == "failed" and "short_abandon_s" in by["badyml"]["error"]
    assert "\n" not in by["badyml"]["error"]
    for c in res["clients"]:
        assert c["duration_s"] >= 0
    # the good audit is published ok, the broken one published as failed with its notebook kept
    assert json.loads((out / "good" / "2026-10" / "manifest.json").read_text())["status"] == "ok"
    bad = json.loads((out / "broken" / "2026-10" / "manifest.json").read_text())
    assert bad["status"] == "failed"
    kept = (out / "broken" / "2026-10" / "notebooks" / "tiny_ok.ipynb").read_text()
    assert '"ename": "ValueError"' in kept
    assert not (out / "badyml").exists()


def test_batch_on_dask_local_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    from conftest import write_client

    cd = tmp_path / "client_data"
    write_client(cd, "alpha")
    write_client(cd, "beta", files={"status.txt": "broken"})
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        res = run_batch("alpha,beta", period="2026-Q3", client_data=cd, out=tmp_path / "reports",
                        scheduler=cluster.scheduler_address, timeout=120, progress=False,
                        notebooks=[str(DATA / "tiny_ok.ipynb")])
    assert res.backend == "dask" and res.exit_code == 1
    assert [(o.client, o.status) for o in res.outcomes] == [("alpha", "ok"), ("beta", "failed")]
    assert res.outcomes[1].error.startswith("tiny_ok: ValueError: broken data for beta")
    assert (tmp_path / "reports" / "alpha" / "2026-Q3" / "tiny_ok.html").is_file()
