"""Issue 14 item 3: one message catalogue (cxtoolkit/resources/messages/catalogue.yml) for every
text the package shows, read by cxtoolkit.messages; structured findings rendered by one layer
(cxtoolkit.findings) with rules.format_value. The tests: the catalogue is complete and
consistent, every key the code asks for exists, no inline French/English branch comes back,
and known answers of rendered findings in both languages."""
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

import cxtoolkit
from cxtoolkit import findings as F
from cxtoolkit import messages as M
from cxtoolkit.errors import check_locale
from cxtoolkit import resources

ROOT = Path(cxtoolkit.__file__).parent


# -- the catalogue -------------------------------------------------------------------------

class _UniqueKeys(yaml.SafeLoader):
    pass


def _no_duplicates(loader, node, deep=False):
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
    dup = sorted({str(k) for k in keys if keys.count(k) > 1})
    if dup:
        raise ValueError(f"line {node.start_mark.line + 1}: duplicate keys {dup}")
    return loader.construct_mapping(node, deep)


_UniqueKeys.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def test_the_catalogue_is_package_data_without_duplicate_keys():
    path = resources.messages_file()
    assert path.is_file() and path.parent.parent == resources.root()
    assert '"**/*.yml"' in (ROOT.parent / "pyproject.toml").read_text(encoding="utf-8")   # in the wheel
    yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeys)   # a duplicate would hide a text


def test_duplicate_keys_are_caught():
    with pytest.raises(ValueError, match="duplicate"):
        yaml.load("a:\n  x: {fr: u, en: v}\n  x: {fr: w, en: z}\n", Loader=_UniqueKeys)


def test_every_key_has_french_and_english_with_the_same_placeholders():
    msgs = M._messages()
    assert len(msgs) > 300
    bad = []
    for key, texts in msgs.items():
        if not {"fr", "en"} <= set(texts):
            bad.append(f"{key}: missing {sorted({'fr', 'en'} - set(texts))}")
            continue
        want = M.placeholders(texts["en"])
        for loc, t in texts.items():
            if M.placeholders(t) != want:
                bad.append(f"{key}: {loc} has {sorted(M.placeholders(t))}, en has {sorted(want)}")
    assert bad == []


def test_percent_signs_follow_each_language():
    # French writes "95 %", English "95%": three English texts said "(95 % CI …)"
    import re

    from cxtoolkit.messages import catalogue

    bad = {k: v for k, v in catalogue("en").items() if re.search(r"\d %", v)}
    assert not bad, bad
    assert not {k: v for k, v in catalogue("fr").items() if re.search(r"\d%", v)}


def test_text_fills_placeholders_falls_back_to_english_and_rejects_unknown_keys():
    assert M.text("kpis.commentary.no_trend", "fr", name="DMA") == "DMA : pas assez de périodes pour une tendance."
    assert M.text("kpis.commentary.no_trend", "en", name="ASA") == "ASA: not enough periods for a trend."
    assert M.text("kpis.commentary.no_trend", "es", name="x") == "x: not enough periods for a trend."  # no es text
    assert M.text("common.yes", None) == "oui"       # the default locale is French, as client.yml's
    with pytest.raises(KeyError, match="unknown message key"):
        M.text("kpis.commentary.nope", "fr")
    with pytest.raises(KeyError):
        M.text("kpis.commentary.no_trend", "fr")     # a placeholder without its value


def test_each_top_level_key_parsed_on_its_own_gives_what_the_whole_catalogue_gives():
    """``text`` reads only the top-level keys a message key starts with (``io``,
    ``report.table``...), each parsed on its own: together they hold exactly the messages of
    the whole catalogue, and each key's texts are the same (a block cut in the wrong place,
    an anchor or a multi-line text across two top-level keys would differ)."""
    whole = M._messages()
    parts = {}
    for name in M._blocks():
        for key, texts in M._block(name).items():
            assert key == name or key.startswith(name + "."), (name, key)
            parts[key] = texts
    assert parts == whole
    M._entry.cache_clear()
    M._messages.cache_clear()
    try:
        assert {k: M._entry(k) for k in whole} == whole
        assert M._entry("io.reason") is None and M._entry("no.such.key") is None
    finally:
        M._entry.cache_clear()


def test_a_message_does_not_parse_the_whole_catalogue():
    """``cxtoolkit validate`` says its reject reasons without parsing the whole 166 kB
    catalogue (~25 ms of CPU at each start): only the top-level key ``io``."""
    import subprocess
    import sys

    code = ("import cxtoolkit.messages as M; print(M.text('io.reason.not_a_date', 'fr')); "
            "print(M._messages.cache_info().currsize, M._block.cache_info().currsize)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.stdout.split("\n")[:2] == ["pas une date", "0 1"], res.stderr


def test_the_locale_rule():
    assert [M.locale_of(x) for x in (None, "", "fr", "FR_fr", "en", "en-GB", "es", "de")] == \
        ["fr", "fr", "fr", "fr", "en", "en", "es", "en"]
    assert M.localized_column("stage_label", "fr") == "stage_label_fr"
    assert M.localized_column("stage_label", "es") == "stage_label_en"
    assert check_locale("fr") == "fr"
    with pytest.raises(cxtoolkit.errors.InputError, match="--locale: 'de' is not fr or en"):
        check_locale("de")


# -- every key the code asks for exists -----------------------------------------------------

_LITERAL = r"\(\s*[fr]?[\"']([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)+)[\"']"
#: calls naming a full key; helpers that prefix their module's section, per file
_CALLS = [(None, re.compile(r"\b(?:text|Finding|Msg|pair|has)" + _LITERAL))]
_PREFIXED = {
    "report/pages.py": [(r"\bheading\(emit, \"([a-z_]+)\", loc\)", "views.heading.")],
    "apps/views.py": [(r"\bheading\(emit, \"([a-z_]+)\", loc\)", "views.heading.")],
    "apps/roi_app.py": [(r"self\.t\(\"([a-z_]+)\"\)", "apps.roi."), (r"self\.t\('([a-z_]+)'\)", "apps.roi.")],
    "apps/staffing_app.py": [(r"_t\([\"']([a-z_]+)[\"']", "apps.staffing."), (r"h\(\"([a-z_]+)\"\)", "apps.staffing.headline.")],
    "apps/controls.py": [(r"\bt\([\"']([a-z_]+)[\"']", "apps.controls.")],
    "report/business_case.py": [(r"\bt\(\"([a-z_.0-9]+)\"", "report.business_case."),
                                (r"head\(\"([a-z_]+)\"\)", "report.business_case.")],
    "report/audit_deck.py": [(r"\bT\[[\"']([a-z_0-9]+)[\"']\]", "report.audit_deck.")],
    "viz/staffing.py": [(r"_t\([\"']([a-z_]+)[\"']", "viz.staffing.")],
    "viz/journey.py": [(r"_t\([\"']([a-z_]+)[\"']", "viz.journey.")],
    "viz/quality.py": [(r"_t\([\"']([a-z_]+)[\"']", "viz.quality.")],
    "quality/commentary.py": [(r"\bt\(\"([a-z_]+)\"", "quality.commentary.")],
    "viz/kpis.py": [(r"_t\([\"']([a-z_]+)[\"']", "viz.kpis.")],
    "viz/verbatims.py": [(r"_t\([\"']([a-z_]+)[\"']", "viz.verbatims.")],
}


def keys_used(root: Path = ROOT) -> dict[str, str]:
    """``{key: "file:line"}`` of the catalogue keys written in the package's source."""
    used = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        rules = [(rx, None) for _, rx in _CALLS] + [(re.compile(p), pre) for p, pre in _PREFIXED.get(rel, [])]
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ">>>" in line:   # doctests show unknown keys on purpose
                continue
            for rx, prefix in rules:
                for key in rx.findall(line):
                    used.setdefault((prefix or "") + key, f"{rel}:{i}")
    return used


def test_every_key_used_in_the_code_exists():
    used = keys_used()
    assert len(used) > 150
    assert {k: where for k, where in used.items() if not M.has(k)} == {}


def test_the_key_scan_finds_a_missing_key(tmp_path):
    (tmp_path / "m.py").write_text('x = text("kpis.commentary.all_on_target", loc)\n'
                                   'y = Finding("kpis.commentary.no_such_thing")\n', encoding="utf-8")
    used = keys_used(tmp_path)
    assert sorted(used) == ["kpis.commentary.all_on_target", "kpis.commentary.no_such_thing"]
    assert [k for k in used if not M.has(k)] == ["kpis.commentary.no_such_thing"]


# -- no inline French / English branch outside the catalogue ---------------------------------

_INLINE = re.compile(r"""==\s*["']fr["']|\b_fr\(|["']fr["']\s+if\b|\bif\s+fr\s+else\b|startswith\(["']fr["']\)"""
                     r"""|\[\s*0\s+if\s+fr\b""")
#: the demo-data generator (it writes sample exports in French, English and Spanish, not texts shown)
_NOT_YET = ("datasets.py",)


def inline_branches(root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel in ("messages.py", "rules.py") or rel.startswith(_NOT_YET):
            continue
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if _INLINE.search(code) and ">>>" not in code:
                found.append(f"{rel}:{i}: {line.strip()}")
    return found


def test_no_inline_french_english_branch_outside_the_catalogue():
    assert inline_branches() == []


def test_the_grep_catches_an_inline_branch(tmp_path):
    (tmp_path / "m.py").write_text(
        'a = "Oui" if locale == "fr" else "Yes"\n'
        'def _fr(loc):\n    return str(loc).lower().startswith("fr")\n'
        'b = "x" if fr else "y"\n'
        'c = LABELS["fr" if x else "en"]\n'
        'd = pair[0 if fr else 1]\n'
        'ok = text("common.yes", loc)  # fr: via the catalogue\n', encoding="utf-8")
    assert [v.split(":")[1] for v in inline_branches(tmp_path)] == ["1", "2", "3", "4", "5", "6"]


# -- rendered findings: known answers ----------------------------------------------------------

def test_kpi_status_finding_known_answers():
    from cxtoolkit.kpis import commentary as C

    st = pd.DataFrame({"key": ["answer_rate", "asa_s"], "label": ["Taux de décroché", "DMA"],
                       "value": [0.853, 75.0], "unit": ["ratio", "seconds"], "target": [0.9, 60.0],
                       "rag": ["red", "amber"]})
    fs = C.status_findings(st)
    assert [(f.key, f.severity) for f in fs] == [("kpis.commentary.below_target", "red"),
                                               ("kpis.commentary.close_to_target", "amber")]
    assert C.comment_status(st, "fr") == ("Sous l'objectif : Taux de décroché 85,3 % (objectif 90,0 %). "
                                          "Proches de l'objectif : DMA 75 s (objectif 60 s).")
    assert C.comment_status(st, "en") == ("Below target: Taux de décroché 85.3% (target 90.0%). "
                                          "Close to target: DMA 75 s (target 60 s).")


def test_rendering_is_the_same_finding_in_each_locale():
    f = F.Finding("kpis.commentary.channels", {
        "items": F.Items((F.Finding("kpis.commentary.channel_item", {"channel": "phone", "share": F.Num(0.6, "ratio")}),
                          F.Finding("kpis.commentary.channel_item", {"channel": "email", "share": F.Num(0.4, "ratio")})),
                         sep=", "),
        "total": F.Num(12345, "count")})
    assert F.render(f, "fr") == "Répartition : phone 60,0 %, email 40,0 % sur 12\u202f345 contacts."
    assert F.render(f, "en") == "Channel mix: phone 60.0%, email 40.0% of 12,345 contacts."


def test_staffing_findings_known_answers():
    from cxtoolkit import staffing as S

    t = S.target_finding({"service_level": 0.8, "within_s": 20.0, "max_wait_probability": 0.25, "max_asa_s": 30})
    assert F.render(t, "fr") == "80 % en 20 s, attente ≤ 25 %, DMA ≤ 30 s"
    assert F.render(t, "en") == "80% in 20 s, waiting ≤ 25%, ASA ≤ 30 s"
    p = pd.DataFrame({"weekday": [2, 2], "hour": [9, 10], "minute": 0, "interval_min": 60,
                      "interval_start": ["09:00", "10:00"], "arrivals_per_hour": [60.0, 80.0],
                      "gap": [1.2, 2.0], "extra_cost": [1500.0, 1750.0], "extra_paid_hours": [50.0, 50.0],
                      "answer_rate_pred_seen": [0.7, 0.6], "answer_rate_plan": [0.95, 0.95]})
    fr = S.comment_plan(p, "fr", target_text=t, currency="EUR")
    en = S.comment_plan(p, "en", target_text=t, currency="GBP")
    assert fr[0] == ("mer 09:00–11:00 : +2 conseillers pour atteindre 80 % en 20 s, attente ≤ 25 %, DMA ≤ 30 s "
                     "(décroché prévu 64 % → 95 %), coût 3\u202f250\xa0€ / semaine")
    assert en[-1] == "In all: 100 more paid hours a week, £3,250."


def test_journey_and_verbatim_findings_carry_keys_and_render_both_ways():
    from cxtoolkit.config import ClientConfig
    from cxtoolkit.journey import comment_friction, friction_findings, friction_map

    cfg = ClientConfig(client="x", journey=["ordering", "delivery"], kpi={"min_answers": 2})
    r = pd.DataFrame({"touchpoint": ["ordering"] * 4 + ["delivery"] * 4, "csat": [5, 5, 4, 1, 1, 1, 2, 5.0]})
    fm = friction_map(r, cfg)
    fs = friction_findings(fm, "en")
    assert fs[0].key == "journey.commentary.friction"
    fr, en = comment_friction(fm, "fr")[0], comment_friction(fm, "en")[0]
    assert fr.startswith("Principal point de friction : Livraison (indice 100/100) — 75 % de clients très insatisfaits")
    assert en.startswith("Main friction point: Delivery (index 100/100) — 75% very unhappy customers")


@pytest.mark.parametrize("value, unit, kw, fr, en", [
    (36000, "money", {}, "36\u202f000\xa0€", "€36,000"),
    (-1234.6, "money", {"currency": "USD"}, "-1\u202f235\xa0$", "-$1,235"),
    (0.5, "money", {}, "0,50\xa0€", "€0.50"),
    (1500, "money", {"currency": "CHF"}, "1\u202f500\xa0CHF", "1,500\xa0CHF"),
    (0.256, "ratio", {"decimals": 0}, "26 %", "26%"),
    (-0.4, "count", {}, "0", "0"),
    (0.1234, "number", {"decimals": 2, "signed": True}, "+0,12", "+0.12"),
    (float("inf"), "money", {}, "–", "–"),
])
def test_format_value_money_and_options(value, unit, kw, fr, en):
    from cxtoolkit.rules import format_value

    assert (format_value(value, unit, "fr", **kw), format_value(value, unit, "en", **kw)) == (fr, en)


def test_the_money_formatters_of_roi_and_staffing_are_the_rule():
    from cxtoolkit.rules import format_value
    from cxtoolkit.viz import roi as vz

    for x in (0.5, 99.99, 1234.5, -36000.0):
        for loc in ("fr", "en"):
            assert vz.fmt_money(x, "EUR", loc) == format_value(x, "money", loc, currency="EUR")
            assert vz.fmt_pct(x / 1e5, loc) == format_value(x / 1e5, "ratio", loc)


def test_every_function_of_the_catalogue_module_serves_the_package():
    """A helper only tests call (as ``bilingual`` was, once pages were in one language) is
    not part of the package: each public function of :mod:`cxtoolkit.messages` is called by
    the package's code (examples in docstrings do not count) or a packaged notebook."""
    import ast
    import json

    root = Path(M.__file__).parent
    called = set()
    for p in root.rglob("*.py"):
        called |= {n.func.id if isinstance(n.func, ast.Name) else n.func.attr
                   for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
                   if isinstance(n, ast.Call) and isinstance(n.func, (ast.Name, ast.Attribute))}
    cells = "\n".join("".join(c["source"]) for p in root.rglob("*.ipynb")
                      for c in json.loads(p.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code")
    tests_only = {"placeholders"}      # the catalogue's own contract, checked above
    unused = [n for n in M.__all__ if callable(getattr(M, n)) and n not in tests_only
              and n not in called and not re.search(rf"\b{n}\(", cells)]
    assert unused == []
