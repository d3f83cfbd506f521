"""Documentation pages generated from the code, so that they cannot drift from it:

* ``kpi-glossary.md`` — every KPI of :data:`cxtoolkit.kpis.registry.KPIS` (key, French and
  English labels, formula, unit, direction, default target);
* ``cli.md`` — every command of ``cxtoolkit`` with its arguments and options, read from the
  command objects themselves (click introspection of the Typer application).

It is also the MkDocs hook (``hooks:`` in ``mkdocs.yml``): :func:`on_files` adds both pages to
the site at build time, nothing generated is committed.

>>> "| `answer_rate` | Answer rate | Taux de décroché (QS) |" in kpi_glossary_md()
True
>>> "## cxtoolkit init" in cli_reference_md()
True
"""
from __future__ import annotations

from cxtoolkit.kpis.registry import KPIS, amber_limit

GROUPS = {"phone": ("Phone", "Téléphone"), "email": ("Email", "E-mail"), "chat": ("Chat", "Chat"),
          "all": ("Every channel", "Tous canaux"), "survey": ("Surveys", "Enquêtes")}
UNITS = {"count": "count", "ratio": "share (0–1, shown as %)", "seconds": "seconds", "hours": "hours",
         "score": "mean score", "nps": "NPS points (−100…100)",
         "bool": "yes / no"}
DIRECTIONS = {"higher": "higher is better", "lower": "lower is better", "none": "—"}
PAGES = {"kpi-glossary.md": "kpi_glossary_md", "cli.md": "cli_reference_md"}


def _target(unit: str, target: float | None, direction: str) -> str:
    if target is None:
        return "—"
    sign = "≥" if direction == "higher" else "≤"
    value = f"{100 * target:g} %" if unit == "ratio" else f"{target:g}"
    return f"{sign} {value}"


def kpi_glossary_md() -> str:
    """The KPI glossary (FR/EN) as Markdown, one table per group, from the registry."""
    lines = ["# KPI glossary / Glossaire des indicateurs", "",
             "Every indicator the toolkit computes, as the registry in the code defines it "
             "(`cxtoolkit.kpis.registry`): the key used in code, JSON and workbooks, its English and "
             "French labels (reports show the client's language), its formula, unit, direction and "
             "default target. A client's `client.yml` `targets:` overrides any target.", "",
             "A KPI with a target gets a status: **green** when it meets the target, **amber** within "
             "10 % of it, **red** otherwise; the abandonment rate is judged as the answer rate, its "
             "complement (an abandonment rate `v` against target `t` as an answer rate `1 − v` "
             "against `1 − t`), so one fact never gets two verdicts: with its default target of "
             f"{KPIS['abandonment_rate'].target:.0%}, the abandonment rate is amber up to "
             f"{amber_limit('abandonment_rate'):.1%}. A ratio with an empty "
             "denominator is undefined (shown as a dash), never 0. Column names in formulas are those of the "
             "[data contract](data-contract.md); settings (`short_abandon_s`, `service_level_s`, "
             "`repeat_window_days`, `ces_scale`, …) are the `kpi:` block of `client.yml`.", ""]
    for group, (en, fr) in GROUPS.items():
        kpis = [k for k in KPIS.values() if k.group == group]
        if not kpis:
            continue
        lines += [f"## {en} / {fr}", "",
                  "| key | English | Français | formula | unit | direction | default target |",
                  "|---|---|---|---|---|---|---|"]
        for k in kpis:
            cells = [f"`{k.key}`", k.label_en, k.label_fr, k.description, UNITS.get(k.unit, k.unit),
                     DIRECTIONS.get(k.direction, k.direction), _target(k.unit, k.target, k.direction)]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    other = sorted({k.group for k in KPIS.values()} - set(GROUPS))
    assert not other, f"KPI groups without a glossary heading: {other}"
    return "\n".join(lines)


def _params_md(params) -> list[str]:
    args = [p for p in params if p.param_type_name == "argument"]
    opts = [p for p in params if p.param_type_name == "option" and not getattr(p, "hidden", False)]
    lines: list[str] = []
    if args:
        lines += ["| argument | description |", "|---|---|"]
        for p in args:
            lines.append(f"| `{p.name.upper()}` | {_cell(getattr(p, 'help', None))} |")
        lines.append("")
    if opts:
        lines += ["| option | description | default |", "|---|---|---|"]
        for p in opts:
            names = ", ".join(f"`{o}`" for o in p.opts + p.secondary_opts)
            envvar = f" (environment: `{p.envvar}`)" if getattr(p, "envvar", None) else ""
            shown = p.default not in (None, False, (), []) and not callable(p.default)
            lines.append(f"| {names} | {_cell(p.help)}{envvar} | {f'`{p.default}`' if shown else ''} |")
        lines.append("")
    return lines


def _cell(text: str | None) -> str:
    return " ".join((text or "").split()).replace("|", "/")


def cli_reference_md() -> str:
    """Reference of every ``cxtoolkit`` command, read from the command objects (the same
    arguments, options, defaults and help texts as ``--help``, in English)."""
    import typer

    from cxtoolkit.cli.helptext import localize
    from cxtoolkit.cli.main import app

    group = typer.main.get_command(app)
    ctx = group.context_class(group, info_name="cxtoolkit")
    localize(group, ctx, "en")
    lines = ["# Command line reference", "",
             "Generated from the commands themselves (`cxtoolkit COMMAND --help` shows the same). "
             "Errors about inputs are one line naming the file or input and the reason, with exit "
             "status 2.", "", "## cxtoolkit", "", (group.help or "").strip(), "",
             "```text", "cxtoolkit [OPTIONS] COMMAND [ARGS]...", "```", ""]
    lines += _params_md(group.params)
    for name in group.list_commands(ctx):
        cmd = group.load(name)   # the command itself (``get_command`` lists it without importing it)
        if cmd is None or cmd.hidden:
            continue
        localize(cmd, cmd.context_class(cmd, parent=ctx, info_name=name), "en")
        usage = " ".join(["cxtoolkit", name, "[OPTIONS]"] + [
            p.name.upper() + ("..." if p.nargs == -1 else "") for p in cmd.params if p.param_type_name == "argument"])
        lines += [f"## cxtoolkit {name}", "", (cmd.help or "").strip(), "", "```text", usage, "```", ""]
        lines += _params_md(cmd.params)
    return "\n".join(lines)


def on_files(files, config):
    """MkDocs hook: add the generated pages to the site."""
    from mkdocs.structure.files import File

    for page, fn in PAGES.items():
        files.append(File.generated(config, page, content=globals()[fn]()))
    return files
