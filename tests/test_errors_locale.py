"""A French consultant gets French error lines: every InputError is raised with a key of the
message catalogue and said in the command's language (cxtoolkit.messages.command_locale:
--locale, else the client's, else LC_ALL/LC_MESSAGES/LANG, else English), prefix included; the
English lines are those the toolkit printed before; exit status 2 (one line, no traceback)."""
import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import cxtoolkit
from cxtoolkit import messages as M
from cxtoolkit.errors import InputError

ROOT = Path(cxtoolkit.__file__).parent



def _keys_of(arg: ast.expr) -> list[str] | None:
    """The catalogue keys an InputError's first argument names: a string constant, or a
    conditional between two constants; None for anything else (an f-string, a variable)."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value]
    if isinstance(arg, ast.IfExp):
        a, b = _keys_of(arg.body), _keys_of(arg.orelse)
        return None if a is None or b is None else a + b
    return None


def test_every_input_error_in_the_package_names_a_catalogue_key():
    bad, n = [], 0
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "InputError":
                n += 1
                keys = _keys_of(node.args[0]) if node.args else None
                if keys is None or not all(M.has(k) for k in keys):
                    bad.append(f"{rel}:{node.lineno}")
    assert n > 190 and bad == [], bad


def test_no_command_writes_its_own_english_error_prefix():
    said = [f"{p.name}:{i}" for p in sorted((ROOT / "cli").glob("*.py"))
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if re.search(r"""f?["']error: """, line)]
    assert said == []


# -- the one rule for the language --------------------------------------------------------

def test_command_locale_order_option_client_environment_english(monkeypatch):
    monkeypatch.setattr(M, "_CLIENT_READ", [])
    assert M.command_locale("fr", "en", {"LANG": "en_US"}) == "fr"          # --locale first
    assert M.command_locale(None, "fr", {"LANG": "en_US"}) == "fr"          # then the client's
    assert M.command_locale("de", "en", {"LANG": "fr_FR"}) == "en"          # an unsupported --locale is not one
    assert M.command_locale(None, None, {"LANG": "fr_FR.UTF-8"}) == "fr"    # then the environment
    assert M.command_locale(None, None, {"LC_ALL": "en_GB", "LANG": "fr_FR"}) == "en"  # LC_ALL before LANG
    assert M.command_locale(None, None, {"LC_MESSAGES": "fr_CA", "LANG": "C"}) == "fr"
    assert M.command_locale(None, None, {}) == "en"                         # else English
    M.remember_client_locale("fr")                                          # a client.yml was read
    assert M.command_locale(None, None, {"LANG": "C"}) == "fr"
    assert M.command_locale("en", None, {}) == "en"


def test_the_values_and_numbers_are_said_in_the_locale():
    from cxtoolkit.errors import FieldErrors, error_line

    from cxtoolkit.findings import Num

    e = InputError("error.io.unreadable_text_encoding_at_line", name="appels.csv", line_no=Num(12345, "count"))
    assert str(e) == "appels.csv: unreadable text encoding at line 12,345 (neither UTF-8 nor cp1252)"
    assert e.render("fr") == "appels.csv : encodage du texte illisible à la ligne 12\u202f345 (ni UTF-8 ni cp1252)"
    assert error_line(e, "fr") == "erreur : " + e.render("fr")
    assert str(InputError("not a key: shown as written")) == "not a key: shown as written"
    f = FieldErrors([{"loc": ("kpi", "service_level"), "msg": "Extra inputs are not permitted",
                      "type": "extra_forbidden"},
                     {"loc": ("locale",), "msg": "Input should be 'fr' or 'en'", "type": "literal_error",
                      "ctx": {"expected": "'fr' or 'en'"}}], {("kpi", "service_level"): 6})
    assert f.render("en") == ("kpi.service_level (line 6): Extra inputs are not permitted; "
                              "locale: Input should be 'fr' or 'en'")
    assert f.render("fr") == "kpi.service_level (ligne 6) : clé inconnue ; locale : valeur attendue : fr ou en"


def test_the_rejects_limit_is_a_number_of_the_locale(tmp_path):
    from cxtoolkit.io.duckdb_source import write_rejects

    e = _raised(lambda: write_rejects(None, "r", None, tmp_path / "rejects.csv", 100_000))
    assert str(e) == f"{tmp_path / 'rejects.csv'}: more than 100,000 rejects; write them as Parquet (--rejects rejects.parquet)"
    assert "plus de 100\u202f000 rejets" in e.render("fr")


# -- the CLI: representative errors in French and in English ------------------------------

def _client(tmp_path: Path, locale: str, extra: str = "") -> Path:
    folder = tmp_path / "client_data" / "acme"
    folder.mkdir(parents=True)
    (folder / "client.yml").write_text(f"client: acme\nname: Acme\ncountry: FR\nlocale: {locale}\n{extra}"
                                       "data:\n  contacts: ok.csv\n", encoding="utf-8")
    (folder / "ok.csv").write_text("contact_id;channel;received_at;answered;wait_s;team\n"
                                   "1;phone;2026-01-05 10:00;1;30;A\n", encoding="utf-8")
    (folder / "cols.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    (folder / "enc.csv").write_bytes(b"a;b\n\xe9\x81;\x81\x8d\n")
    (folder / "bin.csv").write_bytes(b"a\x00b\x00\x00")
    return folder


def _run(tmp_path: Path, args: list[str], lang: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    env.update(LANG=lang, CXTOOLKIT_HOME=str(tmp_path), PYTHONPATH=str(ROOT.parent))
    r = subprocess.run([sys.executable, "-c", "from cxtoolkit.cli.main import main; main()", *args],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    return r.returncode, r.stderr.strip()


D = "client_data/acme/"
AVAILABLE = "contact_id, channel, received_at, answered, wait_s, talk_s, hold_s, wrap_s, team"
CASES = {   # name: (arguments, English line as printed before, French line)
    "missing file": (["kpis", "--config", "acme", "--contacts", D + "nope.csv"],
                     f"error: {D}nope.csv: file not found",
                     f"erreur : {D}nope.csv : fichier introuvable"),
    "wrong encoding": (["kpis", "--config", "acme", "--contacts", D + "enc.csv"],
                       f"error: {D}enc.csv: unreadable text encoding at line 2 (neither UTF-8 nor cp1252)",
                       f"erreur : {D}enc.csv : encodage du texte illisible à la ligne 2 (ni UTF-8 ni cp1252)"),
    "missing required column": (
        ["kpis", "--config", "acme", "--contacts", D + "cols.csv"],
        f"error: {D}cols.csv: missing required column(s) contact_id, channel, received_at, answered, wait_s "
        "for contacts (found: a, b)",
        f"erreur : {D}cols.csv : colonne(s) obligatoire(s) manquante(s) contact_id, channel, received_at, "
        "answered, wait_s pour contacts (trouvées : a, b)"),
    "unknown --by column": (
        ["kpis", "--config", "acme", "--by", "nocol"],
        f"error: by 'nocol': no such column in contacts (available: {AVAILABLE}; "
        "or a time slicer: hour, weekday, week, month, date)",
        f"erreur : par 'nocol' : pas de telle colonne dans contacts (disponibles : {AVAILABLE} ; "
        "ou un découpage temporel : hour, weekday, week, month, date)"),
    "bad --from date": (["kpis", "--config", "acme", "--from", "2026-13-45"],
                        "error: period start '2026-13-45': not a date (use YYYY-MM-DD)",
                        "erreur : début de période '2026-13-45' : pas une date (utiliser AAAA-MM-JJ)"),
    "unsupported locale": (["kpis", "--config", "acme", "--locale", "de"],
                           "error: --locale: 'de' is not fr or en",
                           "erreur : --locale : 'de' n'est ni fr ni en"),
    "inspect on an unreadable file": (
        ["inspect", D + "bin.csv"],
        f"error: {D}bin.csv: binary file (NUL bytes), not a text/CSV export — UTF-16 exports must be re-saved as UTF-8",
        f"erreur : {D}bin.csv : fichier binaire (octets NUL), pas un export texte/CSV — les exports UTF-16 "
        "doivent être réenregistrés en UTF-8"),
    "staffing: impossible --shrinkage": (
        ["staffing", "--arrivals-per-hour", "100", "--aht-s", "300", "--service-level", "0.8", "--shrinkage", "1.5"],
        "error: --shrinkage 1.5: must be a share in [0, 1), e.g. 0.3",
        "erreur : --shrinkage 1,5 : doit être une part dans [0, 1[, p. ex. 0,3"),
    "staffing: no load and no client": (["staffing"],
                                        "error: staffing: give either --arrivals-per-hour R --aht-s S or --config client.yml",
                                        "erreur : staffing : donner soit --arrivals-per-hour R --aht-s S, soit --config client.yml"),
    "staffing: option only with --config": (
        ["staffing", "--arrivals-per-hour", "100", "--aht-s", "300", "--service-level", "0.8", "--weekday", "mon"],
        "error: --weekday: only with --config", "erreur : --weekday : seulement avec --config"),
    # the line of the field in client.yml is new in English too
    "bad client.yml key": (["validate", "--config", "acme"],
                           "error: {yml}: kpi.service_level (line 6): unknown key, did you mean `service_level_s`?",
                           "erreur : {yml} : kpi.service_level (ligne 6) : clé inconnue, vouliez-vous dire "
                           "`service_level_s` ?"),
}
#: English words of the English lines that must not show in a French one
ENGLISH = re.compile(r"\b(error|file|not found|unreadable|encoding|neither|missing|required|found|no such|"
                     r"available|or a time|period start|not a date|use|is not|binary|must be|Extra|permitted|line|share|"
                     r"only|give|either|e\.g)\b")


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_cli_error_line_in_the_language_of_the_command(tmp_path, case, lang):
    """French run: a French client (the errors raised before client.yml is read, such as an
    unsupported --locale or inspect, follow LANG=fr_FR.UTF-8); English run: an English client,
    LANG=C."""
    args, en_line, fr_line = CASES[case]
    folder = _client(tmp_path, lang, "kpi:\n  service_level: 20\n" if case == "bad client.yml key" else "")
    code, err = _run(tmp_path, args, "fr_FR.UTF-8" if lang == "fr" else "C")
    want = (fr_line if lang == "fr" else en_line).format(yml=folder / "client.yml")
    assert (code, err) == (2, want)
    if lang == "fr":
        assert not ENGLISH.search(err.replace(str(folder), "").replace("ok.csv", "")), err


def test_an_error_before_the_client_follows_locale_over_the_environment(tmp_path):
    _client(tmp_path, "en")
    code, err = _run(tmp_path, ["kpis", "--config", "acme", "--locale", "fr", "--contacts", D + "nope.csv"], "C")
    assert (code, err) == (2, f"erreur : {D}nope.csv : fichier introuvable")


def test_init_says_its_last_line_and_its_errors_in_the_clients_language(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    env.update(LANG="C", CXTOOLKIT_HOME=str(tmp_path), PYTHONPATH=str(ROOT.parent))

    def init(*args):
        r = subprocess.run([sys.executable, "-c", "from cxtoolkit.cli.main import main; main()", "init", *args],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        return r.returncode, r.stdout.strip(), r.stderr.strip()

    yml = tmp_path / "client_data" / "acme" / "client.yml"
    assert init("acme") == (0, f"{yml} : écrit ; compléter le nom, le pays, les horaires d'ouverture et les "
                               "objectifs, puis lancer cxtoolkit validate --config acme", "")
    assert init("acme") == (2, "", f"erreur : {yml} : existe déjà (utiliser --force pour le remplacer)")
    assert init("acme", "--locale", "en", "--force") == (
        0, f"{yml}: written; fill in the name, country, opening hours and targets, then run "
           "cxtoolkit validate --config acme", "")
    assert init("acme", "--locale", "en")[2] == f"error: {yml}: already exists (use --force to overwrite it)"


# -- the staffing, Erlang, app and report errors (moved to the catalogue after frerrors) ----

def _raised(call) -> InputError:
    with pytest.raises(InputError) as info:
        call()
    return info.value


def _unit_cases():
    import datetime as dt

    import pandas as pd

    from cxtoolkit import queueing as Q
    from cxtoolkit import staffing as S
    from cxtoolkit.apps import controls, serve
    from cxtoolkit.report import business_case

    return {   # name: (call, English line, French line)
        "weekday": (lambda: S.weekday_index("xyz"), "weekday 'xyz': use mon, tue, wed, thu, fri, sat or sun",
                    "jour 'xyz' : utiliser lun, mar, mer, jeu, ven, sam ou dim"),
        "interval": (lambda: S.check_interval(20), "interval 20 min: use 15, 30 or 60",
                     "intervalle 20 min : utiliser 15, 30 ou 60"),
        "no phone contact": (lambda: S.arrival_profile(pd.DataFrame(columns=["channel", "received_at", "answered"])),
                             "contacts: no phone contact to build the arrival profile from",
                             "contacts : aucun contact téléphonique pour construire le profil des arrivées"),
        "erlang rule": (lambda: Q.erlang_c_metrics(3, -1.5, 180), "arrivals_per_hour: must be ≥ 0 (got -1.5)",
                        "arrivals_per_hour : doit être ≥ 0 (reçu -1,5)"),
        "whole agents": (lambda: Q.erlang_c_metrics(2.5, 100, 180), "agents: must be whole numbers of agents (got 2.5)",
                         "agents : doit être un nombre entier de conseillers (reçu 2,5)"),
        "too many agents": (lambda: Q.agents_needed(1e6, 300, service_level=0.8, within_s=20, max_agents=10),
                            "arrivals_per_hour: 1,000,000 calls/h of 300 s need more than max_agents=10 agents for the target",
                            None),
        "no target": (lambda: Q.agents_needed(100, 300),
                      "target: give a service level (service_level, within_s), max_wait_probability or max_asa_s",
                      "objectif : donner un niveau de service (service_level, within_s), max_wait_probability ou max_asa_s"),
        "app period": (lambda: controls.validate_period("2026-02-01", "2026-01-01", None, None),
                       "period: the start date is after the end date",
                       "période : la date de début est après la date de fin"),
        "app period range": (lambda: controls.validate_period("2020-01-01", "2020-02-01", dt.date(2026, 4, 1),
                                                              dt.date(2026, 5, 1)),
                             "period: period outside the data (2026-04-01 → 2026-05-01)",
                             "période : période hors des données (01/04/2026 → 01/05/2026)"),
        "app segment": (lambda: controls.validate_segment("agent_id=a1", ["", "channel=phone"]),
                        "segment: unknown segment", "segment : segment inconnu"),
        "app name": (lambda: serve.app_notebook("Bad Name"),
                     "app name 'Bad Name': use lowercase letters, digits, - or _ (e.g. roi)",
                     "nom d'app 'Bad Name' : utiliser des minuscules, chiffres, - ou _ (p. ex. roi)"),
        "app port": (lambda: serve.start_app("roi", port=80), "--port 80: choose a port between 1024 and 65535",
                     "--port 80 : choisir un port entre 1024 et 65535"),
        "business case path": (lambda: business_case.export(None, "case.docx"),
                               "case.docx: business case export must end in .pptx or .html",
                               "case.docx : l'export du business case doit finir par .pptx ou .html"),
    }


@pytest.mark.parametrize("case", ["weekday", "interval", "no phone contact", "erlang rule", "whole agents",
                                  "too many agents", "no target", "app period", "app period range", "app segment",
                                  "app name", "app port", "business case path"])
def test_staffing_erlang_app_and_report_errors_in_both_languages(case):
    """English as printed before the catalogue; French with French words and numbers."""
    call, en, fr = _unit_cases()[case]
    e = _raised(call)
    assert str(e) == en
    said = e.render("fr")
    if fr is not None:
        assert said == fr
    assert not ENGLISH.search(said), said


# -- cxtoolkit inspect: its table and its proposal in the command's language ---------------

def _inspect(tmp_path: Path, args: list[str], lang: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    env.update(LANG=lang, COLUMNS="160", CXTOOLKIT_HOME=str(tmp_path), PYTHONPATH=str(ROOT.parent))
    r = subprocess.run([sys.executable, "-c", "from cxtoolkit.cli.main import main; main()", "inspect", *args],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.mark.parametrize("how", ["LANG", "--locale"])
def test_inspect_speaks_french_and_keeps_the_yaml_keys_canonical(tmp_path, how):
    f = tmp_path / "appels.csv"
    f.write_text("Date;Attente;Décroché\n" + "".join(f"2026-01-05 10:{i % 60:02d};{i};oui\n" for i in range(1500)),
                 encoding="utf-8")
    out = _inspect(tmp_path, [str(f)] + (["--locale", "fr"] if how == "--locale" else []),
                   "fr_FR.UTF-8" if how == "LANG" else "C")
    for said in ("colonne", "ressemble à", "remplies", "distinctes", "exemples", "date-heure", "nombre", "oui/non",
                 "1\u202f500", "# Correspondance client.yml proposée (la vérifier, puis la coller) :",
                 "# À FAIRE channel : l'associer sous columns, ou la donner sous constants"):
        assert said in out, said
    assert "    columns:\n      wait_s: Attente\n" in out               # the mapping itself: canonical keys
    assert not re.search(r"\b(column|looks like|filled|distinct|samples|Proposed|check it|TODO|number|yes/no|"
                         r"date-time|1,500)\b", out), out
    en = _inspect(tmp_path, [str(f)], "C")                             # English as before
    for said in ("column", "looks like", "filled", "distinct", "samples", "date-time", "1,500",
                 "# Proposed client.yml mapping (check it, then paste it):",
                 "# TODO channel: map it under columns, or give it under constants"):
        assert said in en, said


def test_roi_errors_say_what_and_the_label_in_the_locale():
    from cxtoolkit import roi
    from cxtoolkit.apps.roi_app import build_roi_app

    e = _raised(lambda: roi.make_inputs(customers_surveyed=10, response_rate=1.5, unhappy_share=0.1,
                                        retention_rate=0.4, acquisition_cost=300))
    assert str(e) == ("ROI input response_rate (Response rate): must be a share between 0 and 1 (0.25 = 25%), "
                      "got 1.5")
    assert e.render("fr") == ("entrée ROI response_rate (Taux de réponse) : doit être une part entre 0 et 1 "
                              "(0,25 = 25 %), reçu 1,5")
    for loc, said in (("fr", "Taux de réponse : doit être une part entre 0 et 1 (0,25 = 25 %), reçu 1,5"),
                      ("en", "Response rate: must be a share between 0 and 1 (0.25 = 25%), got 1.5")):
        sim = build_roi_app(locale=loc).simulator
        sim.set_input("response_rate", 1.5)                # the app's field: its label and why
        assert f"⚠ {said}</span>" in sim.message.value


def test_preset_titles_are_said_in_the_line_s_language_and_english_is_the_preset_s_own():
    from cxtoolkit.io import presets
    from cxtoolkit.messages import text

    for p in presets.presets():
        assert text(f"presets.title.{p['name']}", "en") == p["title"]        # one English title
        assert text(f"presets.title.{p['name']}", "fr") != p["title"]
    e = InputError("error.outofcore.known_export_preset", name="calls.csv", value="talkdesk_calls",
                   value2=presets.title(presets.get("talkdesk_calls")))
    assert "Talkdesk calls report" in str(e) and "(préréglage talkdesk_calls, rapport d'appels Talkdesk)" in e.render("fr")


# -- client.yml: PyYAML's and pydantic's own English said in French ----------------------------

YAML_CASES = {   # client.yml body: (English as before, French)
    "a colon in a value": ("client: acme\nname: Acme: SA\n",
                           "mapping values are not allowed here, line 2",
                           "« : » inattendu dans une valeur (écrire la valeur entre guillemets) ou clé mal "
                           "indentée, ligne 2"),
    "a tab": ("client: acme\nkpi:\n\tservice_level_s: 20\n",
              "while scanning for the next token, line 3",
              "tabulation dans l'indentation : indenter avec des espaces, ligne 3"),
    "an unclosed list": ("client: acme\njourney: [a, b\n",
                         "while parsing a flow sequence, line 3",
                         "liste entre crochets non fermée, ou virgule manquante, ligne 3"),
    "an unclosed quote": ("client: acme\nname: \"Acme\n",
                          "while scanning a quoted scalar, line 3",
                          "guillemet ouvert et jamais fermé, ligne 3"),
    "a misaligned key": ("client: acme\nkpi:\n  service_level_s: 20\n short_abandon_s: 5\n",
                         "while parsing a block mapping, line 4",
                         "indentation incohérente : les clés d'un même niveau doivent être alignées, ligne 4"),
    "an unknown alias": ("client: acme\nname: *x\n", "found undefined alias 'x', line 2",
                         "alias 'x' non défini (aucune ancre & de ce nom), ligne 2"),
    "not UTF-8": (b"client: acme\nname: Soci\xe9t\xe9\n",
                  "'utf-8' codec can't decode byte 0xe9 in position 23: invalid continuation byte",
                  "le fichier n'est pas en UTF-8 (l'enregistrer en UTF-8)"),
}


def _load_error(tmp_path: Path, body) -> InputError:
    from cxtoolkit.config import load_config

    p = tmp_path / "client.yml"
    if isinstance(body, bytes):
        p.write_bytes(body)
    else:
        p.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_config(p)
    return info.value


@pytest.mark.parametrize("case", list(YAML_CASES))
def test_yaml_syntax_errors_are_said_in_french_with_their_line(tmp_path, case):
    body, en, fr = YAML_CASES[case]
    e = _load_error(tmp_path, body)
    p = tmp_path / "client.yml"
    assert str(e) == f"{p}: not valid YAML ({en})"                   # English as before
    assert e.render("fr") == f"{p} : YAML invalide ({fr})"
    assert not re.search(r"\b(line|mapping|while|found|expected|codec|not)\b", e.render("fr").replace(str(p), ""))


def test_a_yaml_problem_the_catalogue_does_not_name_keeps_its_text_in_a_french_frame(tmp_path):
    e = _load_error(tmp_path, "client: acme\nname: Acme\n---\nother: doc\n---\n")
    assert e.render("fr").endswith("YAML invalide (plusieurs documents (---) dans le fichier, un seul attendu, ligne 3)")

    class Odd(Exception):
        problem, context = "something PyYAML never said before", None

        class problem_mark:
            line = 6

    from cxtoolkit.errors import YamlProblem

    p = YamlProblem(Odd("while reading\nsomething PyYAML never said before"))
    assert (p.render("en"), p.render("fr")) == ("while reading, line 7", "while reading, ligne 7")


def test_every_yaml_problem_and_setting_refusal_has_its_texts():
    from cxtoolkit.errors import YAML_PROBLEMS

    assert all(M.has(f"error.yaml.{kind}") for _, kind in YAML_PROBLEMS)
    assert M.has("error.yaml.not_utf8") and M.has("error.yaml.control_char")


def test_pydantic_and_validator_messages_of_client_yml_are_said_in_french(tmp_path):
    e = _load_error(tmp_path, "client: acme\ncountry: FRA\ncurrency: 12\nbusiness_hours:\n  mon: [\"8h\", \"19:00\"]\n"
                              "kpi:\n  service_level_s: -3\n  min_answers: 2.5\n  ces_scale: 6\n"
                              "timezone: Mars/Olympus\n")
    p = tmp_path / "client.yml"
    assert str(e) == (                                                  # English: pydantic's, as before
        f"{p}: country (line 2): Value error, country 'FRA' is not an ISO 3166 alpha-2 code; "
        "timezone (line 10): Value error, timezone 'Mars/Olympus' is not an IANA time zone (e.g. Europe/Paris); "
        "currency (line 3): Input should be a valid string; "
        "business_hours (line 4): Value error, time '8h' is not HH:MM; "
        "kpi.service_level_s (line 7): Input should be greater than or equal to 0; "
        "kpi.ces_scale (line 9): Input should be 5 or 7; "
        "kpi.min_answers (line 8): Input should be a valid integer, got a number with a fractional part")
    assert e.render("fr") == (
        f"{p} : country (ligne 2) : pays 'FRA' : pas un code ISO 3166 à deux lettres ; "
        "timezone (ligne 10) : fuseau horaire 'Mars/Olympus' inconnu (nom IANA, p. ex. Europe/Paris) ; "
        "currency (ligne 3) : attendu un texte ; "
        "business_hours (ligne 4) : heure '8h' : pas au format HH:MM ; "
        "kpi.service_level_s (ligne 7) : doit être supérieur ou égal à 0 ; "
        "kpi.ces_scale (ligne 9) : valeur attendue : 5 ou 7 ; "
        "kpi.min_answers (ligne 8) : attendu un nombre entier (sans décimales)")


def test_a_pydantic_type_the_catalogue_does_not_name_keeps_its_text_in_a_french_frame():
    from cxtoolkit.errors import FieldErrors

    e = FieldErrors([{"loc": ("kpi", "x"), "msg": "Input should be a valid UUID", "type": "uuid_type"}],
                    {("kpi", "x"): 4})
    assert e.render("fr") == "kpi.x (ligne 4) : Input should be a valid UUID"
    assert e.render("en") == "kpi.x (line 4): Input should be a valid UUID"


def test_a_bad_client_yml_line_from_the_cli_is_french_throughout(tmp_path):
    folder = _client(tmp_path, "fr", "name: Acme: SA\n")
    code, err = _run(tmp_path, ["validate", "--config", "acme", "--locale", "fr"], "C")
    assert (code, err) == (2, f"erreur : {folder / 'client.yml'} : YAML invalide (« : » inattendu dans une valeur "
                              "(écrire la valeur entre guillemets) ou clé mal indentée, ligne 5)")


# -- the command line's own errors (typer's click) ---------------------------------------------

USAGE_CASES = {   # arguments: (French lines, what the English one says as typer does)
    "missing argument": (["audit"], ["Utilisation : cxtoolkit audit [OPTIONS] {client}", "Aide : cxtoolkit audit --help",
                                     "erreur : argument 'client' manquant"], "Missing argument 'client'."),
    "missing option": (["kpis"], ["Utilisation : cxtoolkit kpis [OPTIONS]", "Aide : cxtoolkit kpis --help",
                                  "erreur : option '--config' manquante"], "Missing option '--config'."),
    "not an integer": (["audit", "acme", "--jobs", "abc"],
                       ["Utilisation : cxtoolkit audit [OPTIONS] {client}", "Aide : cxtoolkit audit --help",
                        "erreur : valeur invalide pour '--jobs' : attendu un nombre entier"],
                       "Invalid value for '--jobs': Input should be a valid integer"),
    "below the minimum": (["audit", "acme", "--jobs", "0"],
                          ["Utilisation : cxtoolkit audit [OPTIONS] {client}", "Aide : cxtoolkit audit --help",
                           "erreur : valeur invalide pour '--jobs' : doit être supérieur ou égal à 1"],
                          "Invalid value for '--jobs': Input should be greater than or equal to 1"),
    "unknown option": (["kpis", "--config", "acme", "--confi", "x"],
                       ["Utilisation : cxtoolkit kpis [OPTIONS]", "Aide : cxtoolkit kpis --help",
                        "erreur : option inconnue : --confi (options possibles : --config, --json)"], "No such option: --confi"),
    "extra argument": (["kpis", "--config", "acme", "extra"],
                       ["Utilisation : cxtoolkit kpis [OPTIONS]", "Aide : cxtoolkit kpis --help",
                        "erreur : argument(s) en trop : extra"], "Got unexpected extra argument(s) (extra)"),
    "flag given a value": (["kpis", "--json=3"], ["erreur : l'option '--json' ne prend pas de valeur"],
                           "Option '--json' does not take a value."),
    "unknown command": (["audti"], ["Utilisation : cxtoolkit [OPTIONS] COMMANDE [ARGUMENTS]...",
                                                "Aide : cxtoolkit --help",
                                    "erreur : commande inconnue : 'audti' (vouliez-vous dire 'audit' ?)"],
                        "No such command 'audti'. Did you mean 'audit'?"),
}


def _run_as_cxtoolkit(tmp_path: Path, args: list[str], lang: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    env.update(LANG=lang, CXTOOLKIT_HOME=str(tmp_path), PYTHONPATH=str(ROOT.parent), COLUMNS="200")
    r = subprocess.run([sys.executable, "-c", "import sys; sys.argv[0] = 'cxtoolkit'; "
                        "from cxtoolkit.cli.main import main; main()", *args],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    return r.returncode, r.stderr.strip()


@pytest.mark.parametrize("case", list(USAGE_CASES))
def test_usage_errors_are_said_in_french_and_as_typer_says_them_in_english(tmp_path, case):
    args, fr, en = USAGE_CASES[case]
    code, err = _run_as_cxtoolkit(tmp_path, args, "fr_FR.UTF-8")
    assert (code, err.splitlines()) == (2, fr)
    if args[0] != "audti":                        # --locale fr wins over the environment
        code, err = _run_as_cxtoolkit(tmp_path, [*args, "--locale", "fr"], "C")
        assert (code, err.splitlines()[-1]) == (2, fr[-1])
    code, err = _run_as_cxtoolkit(tmp_path, args, "C")
    assert code == 2 and en in " ".join(err.replace("│", "").split())
    assert "Try 'cxtoolkit" in err or "Usage" not in err
    assert not re.search(r"Utilisation|erreur|manquant", err)


def test_a_quality_setting_of_the_wrong_kind_names_the_setting_in_the_locale():
    from cxtoolkit.quality.settings import QualitySettings

    e = _raised(lambda: QualitySettings.from_config({"quality": {"qa_target": "high", "n_boot": "x"}}))
    assert e.render("fr") == "client.yml quality : qa_target : attendu un nombre ; n_boot : attendu un nombre entier"
    assert str(e) == ("client.yml quality: qa_target: could not convert string to float: 'high'; "
                      "n_boot: invalid literal for int() with base 10: 'x'")


@pytest.mark.parametrize("args, lang, want", [
    (["app", "nope", "--locale", "fr"], "C", "erreur : app 'nope' : pas de "),          # --locale over LANG
    (["app", "nope", "--locale", "en"], "fr_FR.UTF-8", "error: app 'nope': no "),
    (["app", "nope"], "C", "error: app 'nope': no "),                                  # as before
    (["app", "nope", "--locale", "de"], "C", "error: --locale: 'de' is not fr or en"),
])
def test_the_app_command_takes_a_locale_as_the_others(tmp_path, args, lang, want):
    code, err = _run(tmp_path, args, lang)
    assert code == 2 and err.startswith(want), err


#: an option of sample / barometer checked early: (arguments, English line, French line)
EARLY = {
    "sample: impossible --week": (["sample", "--config", "acme", "--week", "2026-W60", "--out", "plan.csv"],
                                  "error: --week '2026-W60': no such ISO week",
                                  "erreur : --week '2026-W60' : cette semaine ISO n'existe pas"),
    "sample: --week not a week": (["sample", "--config", "acme", "--week", "2026-10", "--out", "plan.csv"],
                                  "error: --week '2026-10': expected YYYY-Www, e.g. 2026-W07",
                                  "erreur : --week '2026-10' : attendu AAAA-Wss, p. ex. 2026-W07"),
    "barometer: bad --start": (["barometer", "--config", "acme", "--start", "2026-13-45", "--out", "w.csv"],
                               "error: period start '2026-13-45': not a date (use YYYY-MM-DD)",
                               "erreur : début de période '2026-13-45' : pas une date (utiliser AAAA-MM-JJ)"),
}


@pytest.mark.parametrize("case", list(EARLY))
@pytest.mark.parametrize("client, lang, option, said", [
    ("fr", "C", [], "fr"),                     # the client's language over the environment
    ("en", "fr_FR.UTF-8", [], "en"),
    ("fr", "C", ["--locale", "en"], "en"),     # the command's --locale over the client's
])
def test_sample_and_barometer_options_are_refused_in_the_clients_language(tmp_path, case, client, lang,
                                                                           option, said):
    """``sample --week``, ``barometer --start``: checked once client.yml is read (its language)
    and before a file is opened (the contacts file is gone: the option is what is said)."""
    folder = _client(tmp_path, client)
    (folder / "ok.csv").unlink()
    args, en_line, fr_line = EARLY[case]
    code, err = _run(tmp_path, [*args, *option], lang)
    assert (code, err) == (2, fr_line if said == "fr" else en_line)
