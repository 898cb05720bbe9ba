"""The CLI package is one-way: the app module imports the command modules, the command
modules import the shared helpers (common, steps) and the library, never the app module nor
each other (read from the source with `ast`, so an import inside a function counts too)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import corroborate.cli as cli_package
from corroborate.cli import app

CLI = Path(cli_package.__file__).parent
HELPERS = {"corroborate.cli.common", "corroborate.cli.steps"}


def _imports(path: Path) -> set[str]:
    """Every module a file imports, `from X import Y` read as X and as X.Y (Y may be a
    submodule: `from corroborate.cli import stories`)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the cli package
                base = "corroborate.cli" + (f".{node.module}" if node.module else "")
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_no_cli_module_imports_the_app_module_or_another_command_module() -> None:
    modules = sorted(p for p in CLI.glob("*.py") if p.name != "__init__.py")
    assert {p.stem for p in modules} >= {"common", "steps", "ingest", "articles", "stories",
                                         "dossier", "corrections", "web"}
    commands = {f"corroborate.cli.{p.stem}" for p in modules} - HELPERS
    for path in modules:
        imported = _imports(path)
        cli_imports = {m for m in imported if m == "corroborate.cli"
                       or m.startswith("corroborate.cli.")}
        own = f"corroborate.cli.{path.stem}"
        assert "corroborate.cli" not in cli_imports, f"{path.name} imports the app module"
        assert "corroborate.cli.app" not in cli_imports and "corroborate.cli.main" not in \
            cli_imports, f"{path.name} imports the app"
        assert not (cli_imports & (commands - {own})), \
            f"{path.name} imports command modules {sorted(cli_imports & commands)}"
    # the helpers import no command module either
    for helper in HELPERS:
        assert not (_imports(CLI / f"{helper.rsplit('.', 1)[1]}.py") & commands)


def test_the_checker_sees_an_import_back_up(tmp_path: Path) -> None:
    """The check above can fail: a module that imports the app is caught."""
    probe = tmp_path / "probe.py"
    probe.write_text("from corroborate.cli import app\nfrom . import stories\n",
                     encoding="utf-8")
    found = _imports(probe)
    assert "corroborate.cli.app" in found and "corroborate.cli.stories" in found


def test_every_command_is_registered_on_the_one_app() -> None:
    import typer.main

    group = typer.main.get_command(app)
    assert set(group.commands) >= {  # type: ignore[attr-defined]
        "ingest", "extract", "articles", "article", "search", "cluster", "recluster", "stories",
        "story", "crosscheck", "dossier", "check", "story-merge", "story-split", "story-move",
        "story-pin", "corrections", "serve", "batch"}


def test_the_console_script_entry_point_still_resolves() -> None:
    done = subprocess.run([sys.executable, "-c",
                           "from importlib.metadata import EntryPoint; "
                           "ep = EntryPoint('corroborate', 'corroborate.cli:main', "
                           "'console_scripts'); print(callable(ep.load()))"],
                          capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "PYTHONPATH": str(CLI.parents[1])})
    assert done.stdout.strip() == "True", done.stderr
