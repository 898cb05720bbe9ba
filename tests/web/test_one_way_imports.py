"""The web shell is one-way: routers take shared state from web/state.py, and nothing under
web/ imports app.py (the module that builds the app) but the package's lazy `create_app`.

Imports are read with `ast`, not by importing: a cycle that Python happens to resolve in
today's import order is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "corroborate" / "web"


def _imported(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function, names resolved."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module if node.level == 0 else "corroborate.web." + node.module
            names.add(base)
            names.update(f"{base}.{a.name}" for a in node.names)  # `from web import app`
    return names


def test_no_web_module_but_the_package_imports_app() -> None:
    offenders = {p.name: sorted(n for n in _imported(p) if n == "corroborate.web.app")
                 for p in WEB.glob("*.py") if p.name not in ("__init__.py", "app.py")}
    assert {k: v for k, v in offenders.items() if v} == {}
    assert "corroborate.web.app" in _imported(WEB / "__init__.py")


def test_routers_take_state_from_the_dependency_module_and_not_from_each_other() -> None:
    routers = {"api.py", "pages.py", "corrections.py"}
    for name in routers:
        imported = _imported(WEB / name)
        assert "corroborate.web.state" in imported, name
        others = {f"corroborate.web.{r.removesuffix('.py')}" for r in routers} - {
            f"corroborate.web.{name.removesuffix('.py')}"}
        assert not imported & others, (name, imported & others)
    state = _imported(WEB / "state.py")
    assert not {n for n in state if n.startswith("corroborate.web.")
                and n.split(".")[2] in ("app", "api", "pages", "corrections")}


def test_the_check_sees_an_import_of_app_where_one_is_written(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from corroborate.web.app import create_app\n"
                      "from corroborate.web import app\n", encoding="utf-8")
    assert "corroborate.web.app" in _imported(sample)
