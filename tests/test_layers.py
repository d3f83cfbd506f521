"""Issue 14 item 4: layers import one way. Every import of every module of the package —
including the ones inside functions, hidden from import-time cycle errors — is read from the
source (AST); the test fails on any import cycle and on a domain module importing a
presentation layer (viz, apps, audit, report, cli)."""
import ast
from pathlib import Path

import cxtoolkit

ROOT = Path(cxtoolkit.__file__).parent
DOMAIN = ("kpis", "journey", "verbatims", "quality", "roi", "staffing", "queueing", "surveys_ops",
          "comparability", "stats", "calendar", "rules", "messages", "findings", "io", "schemas", "config")
PRESENTATION = ("viz", "apps", "audit", "report", "cli")


def _modules(root: Path) -> dict[str, Path]:
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


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
                base = node.module or ""
                if node.level:
                    pkg = mod.split(".") if is_pkg else mod.split(".")[:-1]
                    pkg = pkg[: len(pkg) - (node.level - 1)]
                    base = ".".join(pkg + ([base] if base else []))
                names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for name in names:
                if name == top or name.startswith(top + "."):
                    t = _target(name, modules)
                    if t and t != mod and t != top:
                        edges.setdefault(t, node.lineno)
        graph[mod] = edges
    return graph


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


def test_presentation_layers_import_downward_only():
    """cli / apps / audit -> report -> viz -> domain: viz and report never import the apps,
    the audit or the CLI; the audit never imports the apps (the data needs of the pages
    live in ``cxtoolkit.needs``)."""
    above = {"viz": ("apps", "audit", "report", "cli"), "report": ("apps", "audit", "cli"), "audit": ("apps", "cli"),
             "apps": ("cli",)}
    graph = import_graph()
    bad = [f"{a} -> {b} (line {line})" for a, edges in graph.items() for b, line in edges.items()
           if _layer(b) in above.get(_layer(a), ())]
    assert bad == []


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
