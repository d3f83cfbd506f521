"""The documentation: the site builds with strict checks (a broken link fails), the generated
pages cover every KPI and every command, and nothing points out of the repository."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cxtoolkit import docs_gen
from cxtoolkit.kpis.registry import KPIS

ROOT = Path(__file__).resolve().parents[1]
MKDOCS = [sys.executable, "-m", "mkdocs", "build", "--strict"]   # not --quiet: it hides the warnings strict counts


def _build(cwd: Path, site: Path):
    pytest.importorskip("material", reason="mkdocs-material is the [docs] extra")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(MKDOCS + ["--site-dir", str(site)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.slow
def test_site_builds_strict_with_generated_pages(tmp_path):
    out = _build(ROOT, tmp_path / "site")
    assert out.returncode == 0, out.stdout + out.stderr
    glossary = (tmp_path / "site" / "kpi-glossary" / "index.html").read_text(encoding="utf-8")
    for k in KPIS.values():
        assert f"<code>{k.key}</code>" in glossary, k.key
    cli = (tmp_path / "site" / "cli" / "index.html").read_text(encoding="utf-8")
    for cmd in ("demo", "init", "validate", "kpis", "audit", "batch", "app", "staffing", "roi"):
        assert f"cxtoolkit {cmd}" in cli, cmd
    for page in ("data-contract", "roi-model", "statistics", "apps", "batch", "deployment", "security"):
        assert (tmp_path / "site" / page / "index.html").is_file(), page


@pytest.mark.slow
def test_strict_build_fails_on_a_broken_link(tmp_path):
    """The strict setting is what makes the build a link check: a page linking to a missing
    page must fail it."""
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "docs", copy / "docs")
    for name in ("mkdocs.yml", "SECURITY.md", "CHANGELOG.md"):
        shutil.copy(ROOT / name, copy / name)
    (copy / "cxtoolkit").mkdir()
    shutil.copy(ROOT / "cxtoolkit" / "docs_gen.py", copy / "cxtoolkit" / "docs_gen.py")
    page = copy / "docs" / "roi-model.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [the old spec](roi-spec.md).\n", encoding="utf-8")
    out = _build(copy, tmp_path / "site")
    assert out.returncode != 0 and "roi-spec.md" in out.stdout + out.stderr


def test_glossary_has_every_kpi_with_labels_formula_and_target():
    md = docs_gen.kpi_glossary_md()
    for k in KPIS.values():
        assert k.description, f"{k.key}: no formula in the registry (the glossary shows it)"
        row = next(line for line in md.splitlines() if line.startswith(f"| `{k.key}` |"))
        assert k.label_en in row and k.label_fr in row and k.description in row
    assert "| `answer_rate` | Answer rate | Taux de décroché (QS) | answered / offered | share (0–1, shown as %) " \
           "| higher is better | ≥ 85 % |" in md
    assert "| `asa_s` |" in md and "| lower is better | ≤ 60 |" in md


def test_cli_reference_lists_every_option_of_every_command():
    import typer

    from cxtoolkit.cli.main import app

    md = docs_gen.cli_reference_md()
    group = typer.main.get_command(app)
    ctx = group.context_class(group, info_name="cxtoolkit")
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        section = md.split(f"## cxtoolkit {name}\n", 1)[1].split("\n## ", 1)[0]
        for p in cmd.params:
            if p.param_type_name == "option" and not p.hidden:
                assert f"`{p.opts[0]}`" in section, (name, p.opts)
    assert "`--workdir`" in md and "CXTOOLKIT_HOME" in md


def _product_files() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "SECURITY.md", ROOT / "CHANGELOG.md", ROOT / "mkdocs.yml"]
    files += sorted((ROOT / "docs").rglob("*.md"))
    files += [p for p in sorted((ROOT / "cxtoolkit").rglob("*"))
              if p.suffix in (".py", ".ipynb", ".yml", ".j2", ".json", ".md") and "__pycache__" not in p.parts]
    return files


def test_nothing_points_out_of_the_repository():
    """README, docs, the package, its notebooks and templates never point to the developers'
    ../shared folder (a user who clones the repository has none), nor to any relative path
    that leaves the repository."""
    bad = []
    link = re.compile(r"\]\(([^)\s#]+)")
    for f in _product_files():
        text = f.read_text(encoding="utf-8", errors="replace")
        for m in re.finditer(r"\.\./shared|shared/(design|data)/|/work/", text):
            bad.append(f"{f.relative_to(ROOT)}: {m.group(0)!r}")
        if f.suffix == ".md":
            prose = re.sub(r"`[^`\n]*`", "", text)   # a link shown as code (`[x](javascript:…)`) is not a link
            for m in link.finditer(prose):
                target = m.group(1)
                if "://" in target or target.startswith("mailto:"):
                    continue
                resolved = (f.parent / target).resolve()
                if ROOT.resolve() not in resolved.parents:
                    bad.append(f"{f.relative_to(ROOT)}: link {target!r} leaves the repository")
                elif not resolved.exists() and f.parent != ROOT / "docs":
                    bad.append(f"{f.relative_to(ROOT)}: link {target!r} to a missing file")
    assert not bad, bad


def test_nothing_names_a_developers_spec_file():
    """The developers' spec files (../shared/design: kpi-definitions.md, domain-notes.md…) are
    not shipped: the package, its notebooks (the kpis app showed "(kpi-definitions.md)") and the
    docs never send a user to one; a page of the same name in docs/ is fine."""
    design = ROOT.parent / "shared" / "design"
    if not design.is_dir():
        pytest.skip("../shared/design is absent")
    names = sorted(p.name for p in design.glob("*.md") if not (ROOT / "docs" / p.name).exists())
    assert names, "no spec file to look for"
    bad = [f"{f.relative_to(ROOT)}: {n}" for f in _product_files()
           for n in names if n in f.read_text(encoding="utf-8", errors="replace")]
    assert not bad, bad
