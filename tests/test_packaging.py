"""What `pipx install .` does: build the wheel, install it into a fresh environment, run duikou."""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.packaging


def run(*argv, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    built = run(sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "--quiet", "-w", out,
                cwd=out, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    if built.returncode != 0:
        # pip fetches the build backend (hatchling) into an isolated environment: offline, it cannot.
        pytest.skip(f"cannot build the wheel here: {built.stderr.strip().splitlines()[-1:]}")
    return next(out.glob("duikou-*.whl"))


def test_the_wheel_carries_the_schema_the_seed_and_the_styles(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"tui/db/schema.sql", "tui/db/seed.sql", "tui/browser/duikou.tcss"} <= names
    entry_points = next(name for name in names if name.endswith(".dist-info/entry_points.txt"))
    assert "[datasette]\nduikou = tui.datasette.plugin" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_from_the_wheel_duikou_builds_and_searches(wheel, tmp_path):
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    scripts = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    python = next(p for p in (scripts / "python", scripts / "python.exe") if p.exists())
    new_site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                        cwd=tmp_path, env=os.environ.copy()).stdout.strip())
    # The dependencies come from this environment (no downloads): its site-packages after the new one's.
    (new_site / "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["HOME"] = env["XDG_DATA_HOME"] = str(tmp_path / "home")
    # --ignore-installed: the borrowed site-packages may hold duikou itself (a non-editable install).
    installed = run(python, "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed", "--quiet", wheel,
                    cwd=tmp_path, env=env)
    assert installed.returncode == 0, installed.stderr

    where = run(python, "-c", "import tui; print(tui.__file__)", cwd=tmp_path, env=env)
    assert Path(where.stdout.strip()).is_relative_to(env_dir), "the installed package, not the checkout"
    duikou = next(p for p in (scripts / "duikou", scripts / "duikou.exe") if p.exists())
    version = run(duikou, "--version", cwd=tmp_path, env=env)
    assert version.returncode == 0 and version.stdout.startswith("duikou ")
    built = run(duikou, "build", "x.db", cwd=tmp_path, env=env)
    assert built.returncode == 0, built.stderr
    found = run(duikou, "search", "九龙", "--db", "x.db", cwd=tmp_path, env=env)
    assert found.returncode == 0, found.stderr
    assert "九龙县" in found.stdout
    plugins = run(python, "-c", "from datasette.cli import cli; cli(['plugins'])", cwd=tmp_path, env=env)
    assert '"name": "duikou"' in plugins.stdout, plugins.stderr
