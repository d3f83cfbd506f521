"""Issue 14 item 4: layers import one way. Every import of every module of the package —
including the ones inside functions, hidden from import-time cycle errors — is read from the
source (AST); the test fails on any import cycle, on a domain module importing a
presentation layer (viz, apps, audit, report, cli), on a private name (``_name``) of one
module used by another, and on a domain module outside ``cxtoolkit.io`` reading or writing a
data file (pandas / CSV / Excel / Parquet calls, ``open()``, DuckDB SQL reading or copying
files)."""
import ast
import re
from pathlib import Path

import cxtoolkit

ROOT = Path(cxtoolkit.__file__).parent
DOMAIN = ("kpis", "journey", "verbatims", "quality", "roi", "staffing", "queueing", "surveys_ops",
          "comparability", "stats", "agreement", "calendar", "rules", "needs", "outofcore", "io", "schemas",
          "config", "errors", "messages", "findings")
PRESENTATION = ("viz", "apps", "audit", "report", "cli")


#: calls that read or write a data file (a domain module's own settings YAML is read with
#: ``Path.read_text``, not listed)
FILE_CALLS = {"open", "read_csv", "read_parquet", "read_excel", "read_json", "read_table", "read_feather",
              "to_csv", "to_parquet", "to_excel", "to_json", "to_feather", "ExcelFile", "ExcelWriter",
              "write_csv", "write_xlsx", "write_results"}
#: SQL that makes DuckDB read or write files
FILE_SQL = re.compile(r"\b(read_(csv|csv_auto|parquet|json|json_auto|xlsx|text|blob)|parquet_scan|glob)\s*\(|"
                      r"\bCOPY\b.*\bTO\b|\bATTACH\b|\bEXPORT\s+DATABASE\b", re.IGNORECASE | re.DOTALL)


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _modules(root: Path) -> dict[str, Path]:
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _absolute(node: ast.ImportFrom, mod: str, is_pkg: bool) -> str:
    """The absolute module name of ``from <module> import ...`` written in module ``mod``."""
    base = node.module or ""
    if node.level:
        pkg = mod.split(".") if is_pkg else mod.split(".")[:-1]
        pkg = pkg[: len(pkg) - (node.level - 1)]
        base = ".".join(pkg + ([base] if base else []))
    return base


def _target(name: str, modules: dict) -> str | None:
    """The most specific module of the package ``name`` designates (None: not ours)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(root: Path = ROOT) -> dict[str, dict[str, int]]:
    """``{module: {imported module: line}}`` over the package, function-level imports included.

    ``from pkg import name`` points at ``pkg.name`` when that is a module, else at ``pkg``.
    The implicit import of a parent package's ``__init__`` is not an edge (it is not a
    dependency the importing module chose), nor is an import under ``if TYPE_CHECKING:``
    (annotations only, never run).
    """
    modules = _modules(root)
    top = root.name
    graph: dict[str, dict[str, int]] = {}
    for mod, path in modules.items():
        edges: dict[str, int] = {}
        is_pkg = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        type_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                     and ast.unparse(block.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
                     for stmt in block.body for n in ast.walk(stmt)}
        for node in ast.walk(tree):
            if id(node) in type_only:
                continue
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(node, mod, is_pkg)
                names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for name in names:
                if name == top or name.startswith(top + "."):
                    t = _target(name, modules)
                    if t and t != mod and t != top:
                        edges.setdefault(t, node.lineno)
        graph[mod] = edges
    return graph


def private_uses(root: Path = ROOT) -> list[str]:
    """Private names of one module of the package used by another: ``from cxtoolkit.x import
    _name`` (absolute or relative; a private *module* such as ``cxtoolkit._speedups`` is a
    module of the package, not a name, and may be imported), and ``m._name`` where ``m`` is a
    module of the package bound by an import (``import cxtoolkit.x as m``, ``from cxtoolkit
    import x``, ``from . import x``) or written in full (``cxtoolkit.x._name``).
    Function-level imports included. Dunder names (``__version__``) are not private.
    """
    modules = _modules(root)
    top = root.name
    found = []
    for mod, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_pkg = path.name == "__init__.py"
        bound: dict[str, str] = {}          # local name -> module of the package it is bound to
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = _absolute(node, mod, is_pkg)
                if base != top and not base.startswith(top + "."):
                    continue
                for a in node.names:
                    full = f"{base}.{a.name}"
                    if full in modules:
                        bound[a.asname or a.name] = full
                    elif _private(a.name) and base != mod:
                        found.append(f"{mod} line {node.lineno}: from {base} import {a.name}")
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name == top or a.name.startswith(top + "."):
                        bound[a.asname or a.name.partition(".")[0]] = a.asname and a.name or top
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Attribute) and _private(node.attr)):
                continue
            owner = ast.unparse(node.value)
            head, _, rest = owner.partition(".")
            target = bound.get(head)
            if target is None:
                continue
            target = f"{target}.{rest}" if rest else target
            if target in modules and target != mod:
                found.append(f"{mod} line {node.lineno}: {owner}.{node.attr} ({target})")
    return sorted(set(found))


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _layer(mod: str) -> str:
    return mod.split(".")[1] if "." in mod else ""


def test_no_import_cycle_even_inside_functions():
    graph = import_graph()
    found = []
    for comp in cycles(graph):
        edges = [f"{a} -> {b} (line {graph[a][b]})" for a in comp for b in graph[a] if b in comp]
        found.append("; ".join(edges))
    assert found == []


def test_the_domain_never_imports_presentation():
    graph = import_graph()
    bad = [f"{a} -> {b} (line {line})" for a, edges in graph.items() if _layer(a) in DOMAIN
           for b, line in edges.items() if _layer(b) in PRESENTATION]
    assert bad == []


def test_no_private_name_used_across_modules():
    assert private_uses() == []


def test_presentation_layers_import_downward_only():
    """cli / apps / audit -> pipeline -> report -> viz -> domain: viz and report never import
    the pipeline, the apps, the audit or the CLI (report pages render results, they never
    compute them: issue 14 item 4); the audit never imports the apps (the data needs of the
    pages live in ``cxtoolkit.needs``)."""
    above = {"viz": ("pipeline", "apps", "audit", "report", "cli"), "report": ("pipeline", "apps", "audit", "cli"),
             "pipeline": ("apps", "audit", "cli"), "audit": ("apps", "cli"), "apps": ("cli",)}
    graph = import_graph()
    bad = [f"{a} -> {b} (line {line})" for a, edges in graph.items() for b, line in edges.items()
           if _layer(b) in above.get(_layer(a), ())]
    assert bad == []


def file_io(root: Path = ROOT) -> list[str]:
    """Places where a domain module other than ``cxtoolkit.io`` reads or writes a file: a call
    of :data:`FILE_CALLS` (``open(p)``, ``df.to_parquet(p)``, ``pd.read_csv(p)``…) or a string
    (not a docstring) with SQL of :data:`FILE_SQL` (``read_parquet('x')``, ``COPY … TO``)."""
    found = []
    for mod, path in _modules(root).items():
        if _layer(mod) not in DOMAIN or _layer(mod) == "io":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {id(n.body[0].value) for n in ast.walk(tree)
                if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
                if name in FILE_CALLS:
                    found.append(f"{mod} line {node.lineno}: {name}()")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
                if FILE_SQL.search(node.value):
                    found.append(f"{mod} line {node.lineno}: SQL {FILE_SQL.search(node.value).group(0)!r}")
    return sorted(set(found))


def test_files_are_read_and_written_only_in_io():
    """The domain receives frames or opened relations; ``cxtoolkit.io`` opens the files
    (``--engine duckdb``: :mod:`cxtoolkit.io.duckdb_source`)."""
    assert file_io() == []


def test_the_file_io_walker(tmp_path):
    pkg = tmp_path / "cxtoolkit"
    for d in ("io", "kpis", "viz"):
        (pkg / d).mkdir(parents=True)
        (pkg / d / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "io" / "files.py").write_text("def f(con, p):\n    con.execute(f\"SELECT * FROM read_csv('{p}')\")\n"
                                         "    return open(p)\n")
    (pkg / "viz" / "save.py").write_text("def f(df, p):\n    df.to_csv(p)\n")
    (pkg / "kpis" / "sql.py").write_text(
        '"""Reads nothing: read_parquet(x) in a docstring is prose."""\n'
        "import pandas as pd\n\n\ndef f(con, p, df):\n    con.execute(f\"CREATE VIEW v AS SELECT * FROM read_parquet('{p}')\")\n"
        "    con.execute(\"COPY (SELECT * FROM rej) TO 'x.parquet'\")\n    df.to_parquet(p)\n"
        "    with open(p) as fh:\n        return pd.read_csv(fh), con.execute('SELECT glob_x FROM t')\n")
    assert file_io(pkg) == [
        "cxtoolkit.kpis.sql line 10: read_csv()",
        "cxtoolkit.kpis.sql line 6: SQL 'read_parquet('",
        "cxtoolkit.kpis.sql line 7: SQL 'COPY (SELECT * FROM rej) TO'",
        "cxtoolkit.kpis.sql line 8: to_parquet()",
        "cxtoolkit.kpis.sql line 9: open()",
    ]


def test_the_walker_sees_function_level_cycles_and_relative_imports(tmp_path):
    pkg = tmp_path / "cxtoolkit"
    (pkg / "kpis").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "kpis" / "__init__.py").write_text("from .engine import compute\n")
    (pkg / "kpis" / "engine.py").write_text("def compute():\n    from cxtoolkit.kpis.surveys import s\n")
    (pkg / "kpis" / "surveys.py").write_text("from . import engine\nfrom ..viz import kpis\n")
    (pkg / "viz").mkdir()
    (pkg / "viz" / "__init__.py").write_text("")
    (pkg / "viz" / "kpis.py").write_text("import cxtoolkit.kpis.engine as e\nfrom typing import TYPE_CHECKING\n"
                                         "if TYPE_CHECKING:\n    from cxtoolkit.kpis import surveys\n")
    graph = import_graph(pkg)
    assert graph["cxtoolkit.kpis.surveys"] == {"cxtoolkit.kpis.engine": 1, "cxtoolkit.viz.kpis": 2}
    assert graph["cxtoolkit.viz.kpis"] == {"cxtoolkit.kpis.engine": 1}   # the TYPE_CHECKING import is no edge
    assert cycles(graph) == [["cxtoolkit.kpis.engine", "cxtoolkit.kpis.surveys", "cxtoolkit.viz.kpis"]]


def test_the_private_name_walker(tmp_path):
    pkg = tmp_path / "cxtoolkit"
    (pkg / "kpis").mkdir(parents=True)
    (pkg / "__init__.py").write_text("__version__ = '1'\n")
    (pkg / "_speedups.py").write_text("def fast():\n    pass\n")
    (pkg / "config.py").write_text("def _hhmm(v):\n    return v\n\n\ndef use():\n    return _hhmm(1)\n")
    (pkg / "kpis" / "__init__.py").write_text("")
    (pkg / "kpis" / "a.py").write_text(
        "import cxtoolkit.config\nimport cxtoolkit.config as C\nfrom cxtoolkit import _speedups, config, __version__\n"
        "from ..config import _hhmm\n\n\ndef f(x):\n    from cxtoolkit import kpis\n"
        "    return C._hhmm(x), config._hhmm(x), cxtoolkit.config._hhmm(x), x._private, kpis.__name__\n")
    (pkg / "kpis" / "b.py").write_text("from . import a\n\n\ndef g():\n    return a._cache, a.f\n")
    assert private_uses(pkg) == [
        "cxtoolkit.kpis.a line 4: from cxtoolkit.config import _hhmm",
        "cxtoolkit.kpis.a line 9: C._hhmm (cxtoolkit.config)",
        "cxtoolkit.kpis.a line 9: config._hhmm (cxtoolkit.config)",
        "cxtoolkit.kpis.a line 9: cxtoolkit.config._hhmm (cxtoolkit.config)",
        "cxtoolkit.kpis.b line 5: a._cache (cxtoolkit.kpis.a)",
    ]
