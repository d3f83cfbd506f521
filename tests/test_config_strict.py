"""An unknown key of client.yml is refused (it used to be accepted and ignored, so the mapping
or the targets the consultant wrote were silently left out): one line with the file, the key,
its line and a "did you mean" suggestion, in the command's language; exit status 2."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import write_client

from cxtoolkit import resources
from cxtoolkit.config import ClientConfig, load_config
from cxtoolkit.errors import InputError
from cxtoolkit.kpis import compute
from cxtoolkit.kpi_table import KPI_CODES
from cxtoolkit.kpis.registry import KPIS, check_targets

ROOT = Path(__file__).resolve().parents[1]
HEAD = "client: acme\nlocale: en\n"
# name: (client.yml after HEAD, the key as said, its line, the suggestion)
TYPOS = {
    "colums at the top": ("colums: {contact_id: Id}\n", "colums", 3, "data.<table>.columns"),
    "colums in a table": ("data:\n  contacts:\n    file: c.csv\n    colums: {contact_id: Id}\n",
                          "data.contacts.colums", 6, "columns"),
    "targts": ("targts:\n  answer_rate: 0.9\n", "targts", 3, "targets"),
    "kpis": ("kpis:\n  short_abandon_s: 3\n", "kpis", 3, "kpi"),
    "data contact": ("data: {contact: f.csv}\n", "data.contact", 3, "contacts"),
    "kpi setting": ("kpi:\n  service_level: 20\n", "kpi.service_level", 4, "service_level_s"),
    "staffing setting": ("staffing:\n  shrinkage: 0.3\n  hourly_cots: 30\n", "staffing.hourly_cots", 5,
                         "hourly_cost"),
    "canonical column": ("data:\n  contacts:\n    file: c.csv\n    columns:\n      contact_idd: Id\n",
                         "data.contacts.columns.contact_idd", 7, "contact_id"),
    "constant column": ("data:\n  contacts: {file: c.csv, constants: {chanel: phone}}\n",
                        "data.contacts.constants.chanel", 4, "channel"),
    "target code": ("targets:\n  answer_rate: 0.9\n  servce_level: 0.8\n", "targets.servce_level", 5,
                    "service_level"),
}


@pytest.mark.parametrize("case", TYPOS)
def test_each_typo_is_refused_with_its_line_and_suggestion_fr_and_en(tmp_path, case):
    body, key, line, hint = TYPOS[case]
    yml = write_client(tmp_path, "acme", HEAD + body)
    with pytest.raises(InputError) as exc:
        load_config(yml)
    assert exc.value.render("en") == f"{yml}: {key} (line {line}): unknown key, did you mean `{hint}`?"
    assert exc.value.render("fr") == f"{yml} : {key} (ligne {line}) : clé inconnue, vouliez-vous dire `{hint}` ?"


def test_an_unknown_key_with_nothing_close_lists_the_known_keys(tmp_path):
    yml = write_client(tmp_path, "acme", HEAD + "data: {calls: x.csv}\n")
    with pytest.raises(InputError, match=r"data\.calls \(line 3\): unknown key \(known: contacts, responses, "
                                         r"sends, evaluations, agents, daily_reports\)$"):
        load_config(yml)


def test_a_target_that_is_no_kpi_code_in_a_configuration_made_in_code_is_refused_when_kpis_are_computed():
    cfg = ClientConfig(client="acme", targets={"answer_rate": 0.9, "servce_level": 0.8})
    contacts = pd.DataFrame({"contact_id": ["a"], "channel": ["phone"], "answered": [True],
                             "received_at": pd.to_datetime(["2024-01-02 10:00"]), "wait_s": [5.0]})
    with pytest.raises(InputError) as exc:
        compute(contacts, cfg=cfg)
    assert exc.value.render("en") == "client.yml: targets.servce_level: unknown key, did you mean `service_level`?"


def test_the_codes_targets_may_name_are_the_registry_s_kpis():
    assert set(KPI_CODES) == set(KPIS) and len(KPI_CODES) == len(KPIS)


@pytest.mark.parametrize("command", ["validate", "staffing", "kpis"])
def test_every_command_reading_client_yml_refuses_an_unknown_target_code_in_its_language(tmp_path, command):
    """Before, only the KPI engine refused it: ``validate`` and ``staffing`` took the typo and
    left the service level on its default target without a word."""
    yml = write_client(tmp_path / "client_data", "acme", "client: acme\nlocale: fr\n"
                       "targets:\n  servce_level: 0.9\ndata: {contacts: contacts.csv}\n",
                       files={"contacts.csv": ["contact_id,channel,received_at,answered,wait_s",
                                               "c1,phone,2026-05-04 10:00:00,true,12"]})
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    env.update(CXTOOLKIT_HOME=str(tmp_path), PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-c", "from cxtoolkit.cli.main import main; main()", command,
                        "--config", "acme"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert (r.returncode, r.stderr.strip()) == (2, f"erreur : {yml} : targets.servce_level (ligne 4) : clé inconnue, "
                                                   "vouliez-vous dire `service_level` ?")


@pytest.mark.parametrize("lang, said", [("C", "error: {yml}: targts (line 3): unknown key, did you mean `targets`?"),
                                        ("fr_FR.UTF-8", "erreur : {yml} : targts (ligne 3) : clé inconnue, "
                                                        "vouliez-vous dire `targets` ?")])
def test_the_cli_says_it_in_one_line_exit_2_no_traceback(tmp_path, lang, said):
    yml = write_client(tmp_path / "client_data", "acme", HEAD + "targts:\n  answer_rate: 0.9\n")
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    env.update(LANG=lang, CXTOOLKIT_HOME=str(tmp_path), PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-c", "from cxtoolkit.cli.main import main; main()",
                        "validate", "--config", "acme", "--locale", "en" if lang == "C" else "fr"],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert (r.returncode, r.stderr.strip()) == (2, said.format(yml=yml))


def _shipped() -> list[Path]:
    clients = Path(resources.__file__).parent / "clients"
    return [resources.template("client.yml"), *sorted(clients.glob("*/client.yml"))]


@pytest.mark.parametrize("path", _shipped(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_client_yml_still_loads_with_known_targets(path):
    check_targets(load_config(path))


def _doc_examples() -> list[tuple[str, str]]:
    out = []
    for md in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        for i, block in enumerate(re.findall(r"```ya?ml\n(.*?)```", md.read_text(encoding="utf-8"), re.S)):
            raw = yaml.safe_load(block)
            if isinstance(raw, dict) and "client" in raw:
                out.append((f"{md.name}#{i}", block))
    return out


@pytest.mark.parametrize("name, block", _doc_examples(), ids=lambda x: x if "#" in str(x) else "")
def test_client_yml_examples_of_the_docs_still_load(tmp_path, name, block):
    check_targets(load_config(write_client(tmp_path, yaml.safe_load(block)["client"], block)))


def test_the_docs_have_a_client_yml_example():
    assert _doc_examples()
