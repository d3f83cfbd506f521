"""No personal data in anything an audit publishes.

A small demo client (5 000 contacts, 1 500 answers) is generated — its verbatims carry
planted e-mails, phone numbers, IBANs and "je m'appelle ..." names — and we plant our own
known strings on top: personal data in verbatims, marker customer ids in contacts and
responses, and personal data in values the loader rejects. The audit runs the real
``verbatims`` notebook plus ``tests/data/tiny_leaky.ipynb``, a careless notebook that
prints, displays and exports raw ids and verbatims and then fails quoting them. Every
file of the audit folder (html, ipynb, xlsx and pptx unzipped, csv, json) and the DuckDB
warehouse are then scanned (the results set's Parquet files read as tables): none of the planted values, generated personal data or raw
customer ids may appear.
"""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from cxtoolkit import resources
from cxtoolkit.audit import run_audit
from cxtoolkit.privacy import pseudonym
from verbatim_pages import unsafe, visible_text

DATA = Path(__file__).parent / "data"
KEY = "pii-outputs-test-key"
pytestmark = pytest.mark.notebook

PLANTED_VERBATIMS = [
    "Contactez-moi: zorglub.planted@example.org merci",
    "Mon numéro est le 06 98 76 54 32, rappelez vite",
    "IBAN FR76 3000 6000 0112 3456 7890 189 pour le remboursement",
    "Bonjour je m'appelle Zéphirin Trouvetout et je suis furieux",
    "Call me on +44 7700 900456 please, my name is Ebenezer Quillfeather",
    # the forms of issue 17 item 3 and issue 12 item 7
    "Mme Dupontel m'a raccroché au nez, M. Martinot aussi",
    "Mr Smithwick was rude, write to 221B Baker Street, London NW1 6XE",
    "Livrez au 12 bis rue des Lilas, 75011 Paris, ou Calle Mayor 5, 3º B, 28013 Madrid",
    "écrivez à zorglub dot plantard at gmail dot com, iban fr76 3000 6000 0112 3456 7890 189",
    "carte 4111.1111.1111.1111 débitée, rappelez le (020) 7946 0958",
    "je m appelle Anatole Frimousse, my name's Bartholomew Quibble",
    "Me llamo María José García Zurbarandía y sigo esperando",
    "mon numéro client est CUSTSECRET0002, rappelez (510) 541-6550 ou 1-800-799-0808 ou 510.541.6550",
]
#: customer comments that must be shown, never run (prepended to some generated verbatims)
PAYLOADS = ["<script>alert(1)</script>", '<img src=x onerror="alert(2)">', "[clic](javascript:alert(4))"]
PLANTED = ["zorglub.planted@example.org", "06 98 76 54 32", "0698765432", "FR76 3000 6000 0112 3456 7890 189",
           "FR7630006000011234567890189", "Zéphirin", "Trouvetout", "+44 7700 900456", "7700 900456",
           "Quillfeather", "CUSTSECRET0001", "CUSTSECRET0002", "leak.reject@example.org", "+33 6 11 22 33 44",
           "06 11 22 33 44", "CUSTREJECT0003", "Dupontel", "Martinot", "Smithwick", "Baker Street", "NW1 6XE",
           "Lilas", "75011", "Calle Mayor", "28013", "plantard", "fr76 3000", "4111.1111", "7946 0958", "Frimousse",
           "Quibble", "Zurbarandía", "541-6550", "799-0808", "541.6550"]
# the generator appends "<lead><value>." to about 6 % of verbatims (cxtoolkit.datasets)
LEADS = ("Je m'appelle ", "My name is ", "Me llamo ", "Mon e-mail : ", "Email me at ", "Mi correo: ",
         "Rappelez-moi au ", "Call me back on ", "Llámenme al ", "Mon IBAN pour le remboursement : ",
         "My IBAN for the refund: ", "Mi IBAN para el reembolso: ")
GENERATED_RE = re.compile("(?:" + "|".join(re.escape(x) for x in LEADS) + r")(.+)\.$")
TOKEN_RE = re.compile(r"[\w\-]+")


def _plant(folder: Path) -> None:
    r = pd.read_csv(folder / "responses.csv", dtype=str, keep_default_na=False)
    with_text = r.index[r["verbatim"] != ""]
    for i, text in zip(with_text[:len(PLANTED_VERBATIMS)], PLANTED_VERBATIMS):
        r.loc[i, "verbatim"] = text
    r.loc[with_text[:3], "customer_id"] = "CUSTSECRET0001"
    for k, i in enumerate(with_text[len(PLANTED_VERBATIMS)::4]):             # script in comments
        r.loc[i, "verbatim"] = PAYLOADS[k % len(PAYLOADS)] + " " + r.loc[i, "verbatim"]
    r.to_csv(folder / "responses.csv", index=False)
    c = pd.read_csv(folder / "contacts.csv", dtype=str, keep_default_na=False, sep=";", encoding="utf-8-sig")
    c.loc[:19, "customer_id"] = "CUSTSECRET0002"
    c.loc[20, "channel"] = "leak.reject@example.org"      # rejected (unknown channel): value quoted
    c.loc[21, "channel"] = "+33 6 11 22 33 44"
    c.loc[22, "customer_id"] = "CUSTREJECT0003"           # rejected row (missing date) of a customer
    c.loc[22, c.columns[3]] = ""
    c.to_csv(folder / "contacts.csv", index=False, sep=";", encoding="utf-8-sig")


def _texts(path: Path):
    """(where, text) of every readable piece of an output file."""
    if path.suffix in (".xlsx", ".pptx"):
        with zipfile.ZipFile(path) as z:
            for n in z.namelist():
                if n.endswith((".xml", ".rels", ".txt")):
                    yield f"{path.name}!{n}", z.read(n).decode("utf-8", "replace")
    elif path.suffix == ".duckdb":
        import duckdb

        con = duckdb.connect(str(path), read_only=True)
        try:
            for (t,) in con.execute("select table_name from information_schema.tables").fetchall():
                yield f"{path.name}:{t}", con.execute(f'select * from "{t}"').df().to_csv()
        finally:
            con.close()
    elif path.suffix == ".parquet":              # the results set: its text columns (compressed on disk)
        df = pd.read_parquet(path)
        yield path.name, df.select_dtypes(exclude=["number", "bool"]).to_csv(index=False)
    elif path.suffix != ".lock":
        yield path.name, path.read_bytes().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("CXTOOLKIT_PSEUDONYM_KEY", KEY)
    root = tmp_path_factory.mktemp("pii")
    from conftest import write_demo_client

    folder = write_demo_client(root / "client_data", "demo", n_contacts=5_000, n_responses=1_500, months=2)
    raw = {t: (folder / f"{t}.csv").read_text(encoding="utf-8-sig") for t in ("responses", "contacts", "sends")}
    _plant(folder)
    res = run_audit("demo", client_data=root / "client_data", out=root / "reports", timeout=300,
                    notebooks=[resources.notebooks_dir() / "kpis.ipynb", resources.notebooks_dir() / "verbatims.ipynb",
                               DATA / "tiny_leaky.ipynb"])
    yield root, folder, res, raw
    mp.undo()


def _secrets(folder: Path, raw: dict) -> tuple[list[str], set[str]]:
    r = pd.read_csv(folder / "responses.csv", dtype=str, keep_default_na=False)
    generated = sorted({m.group(1) for v in r["verbatim"] for m in [GENERATED_RE.search(v)] if m})
    c = pd.read_csv(folder / "contacts.csv", dtype=str, keep_default_na=False, sep=";", encoding="utf-8-sig")
    s = pd.read_csv(folder / "sends.csv", dtype=str, keep_default_na=False)
    ids = set(c["customer_id"]) | set(r["customer_id"]) | set(s["customer_id"])
    return generated, {i for i in ids if i}


def test_audit_ran_every_output_type(audit):
    root, _, res, _ = audit
    by = {n.name: n for n in res.notebooks}
    assert by["verbatims"].status == "ok", by["verbatims"].error
    assert by["tiny_leaky"].status == "failed"                 # it fails on purpose, quoting a customer
    suffixes = {p.suffix for p in res.folder.rglob("*") if p.is_file()}
    assert {".html", ".ipynb", ".xlsx", ".pptx", ".csv", ".json", ".parquet"} <= suffixes, suffixes
    assert (res.folder / "leaky_export.csv").is_file() and (res.folder / "rejects.csv").is_file()
    assert (root / "reports" / "warehouse.duckdb").is_file()


def test_no_personal_data_nor_raw_customer_id_in_any_output(audit):
    root, folder, res, raw = audit
    generated, ids = _secrets(folder, raw)
    assert len(generated) >= 20, "the generator planted too little personal data for the test to mean anything"
    assert {"CUSTSECRET0001", "CUSTSECRET0002", "CUSTREJECT0003"} <= ids and len(ids) > 1000
    needles = PLANTED + generated
    files = [p for p in res.folder.rglob("*") if p.is_file()] + [root / "reports" / "warehouse.duckdb"]
    leaks, scanned = [], 0
    for p in files:
        for where, text in _texts(p):
            scanned += 1
            leaks += [(where, s) for s in needles if s in text]
            leaks += [(where, t) for t in set(TOKEN_RE.findall(text)) & ids]
    assert scanned >= 10
    assert not leaks, leaks[:20]


def test_the_guard_did_its_job_where_the_careless_notebook_leaked(audit):
    """Masks and pseudonyms are there (so the scan above did not pass on an empty file)."""
    _, _, res, _ = audit
    export = pd.read_csv(res.folder / "leaky_export.csv", dtype=str, keep_default_na=False)
    assert len(export) > 1000
    assert pseudonym("CUSTSECRET0001", KEY.encode()) in set(export["customer_id"])
    assert export["verbatim"].str.contains(r"\[EMAIL\]|\[PHONE\]|\[IBAN\]|\[NAME\]").sum() >= 5
    rejects = pd.read_csv(res.folder / "rejects.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert {"[EMAIL]", "[PHONE]"} <= set(rejects["value"])
    nb = json.loads((res.folder / "notebooks" / "tiny_leaky.ipynb").read_text(encoding="utf-8"))
    text = json.dumps(nb, ensure_ascii=False)
    assert "[EMAIL]" in text and "p_" in text
    html = (res.folder / "tiny_leaky.html").read_text(encoding="utf-8")
    assert "Rapport incomplet" in html and "Traceback" not in html
    manifest = json.loads((res.folder / "manifest.json").read_text(encoding="utf-8"))
    leaky = next(n for n in manifest["notebooks"] if n["name"] == "tiny_leaky")
    assert leaky["error"].startswith("ValueError: customer p_")


def test_published_csvs_hold_numbers_as_numbers(audit):
    """No number bent by the guard (issue 17 item 2): no tag glued to digits
    (``0.[CARD]``), no quoted number (``'-0.116``), every KPI value parses."""
    _, _, res, _ = audit
    bent = []
    for p in sorted(res.folder.glob("*.csv")):
        df = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        for col in df.columns:
            for v in df[col]:
                if re.search(r"[0-9][.,]?\[[A-Z]+\]|\[[A-Z]+\][.,]?[0-9]", v) or \
                        re.fullmatch(r"'-?[0-9][0-9.,eE+\-]*", v):
                    bent.append((p.name, col, v))
    assert not bent, bent[:10]
    status = pd.read_csv(res.folder / "kpis_status.csv", dtype=str, keep_default_na=False)
    values = status["value"][~status["value"].isin(["", "True", "False"])]
    assert len(values) > 20 and pd.to_numeric(values, errors="coerce").notna().all(), values.tolist()


def test_comments_are_shown_never_run_in_the_published_page(audit):
    _, _, res, _ = audit
    page = (res.folder / "verbatims.html").read_text(encoding="utf-8")
    assert unsafe(page) == []
    assert any(p in visible_text(page) for p in PAYLOADS)                   # shown as typed
