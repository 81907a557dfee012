"""The layers keep their rules (pyproject's [tool.importlinter]): the library and the exports import
no interface, nothing imports a layer above it, and no modules import each other in a circle."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    """import-linter's check of `project`'s package against its pyproject's contracts."""
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True, no_logo=True))"
    return subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True,
                          env=os.environ | {"PYTHONPATH": str(project)}, timeout=120)


def test_the_package_keeps_every_layer_rule():
    result = lint_imports(PROJECT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize("module, line, broken", [
    ("tui/data/errors.py", "import textual", "The library, text and exports import no interface"),
    ("tui/export/files.py", "from rich.text import Text", "The library, text and exports import no interface"),
    ("tui/browser/widgets/breadcrumb.py", "import tui.cli", "Layers"),
    ("tui/export/files.py", "from tui.browser import app", "Layers"),
    ("tui/data/names.py", "from tui.data import search", "No import cycles"),
])
def test_an_import_across_the_rules_is_caught(tmp_path: Path, module: str, line: str, broken: str):
    shutil.copytree(PROJECT / "tui", tmp_path / "tui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT / "pyproject.toml", tmp_path)
    target = tmp_path / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode == 1
    assert f"{broken}" in result.stdout.split("Broken contracts")[-1]
