"""`duikou build` and `duikou synth`: a new database file, of the bundled data or of national size."""
from __future__ import annotations

import sys
from pathlib import Path

from tui.data.bundle import build as build_bundle


def build(file: Path) -> int:
    build_bundle(file)
    print(f"built {file}")
    return 0


def synth(file: Path, projects: int, seed: int) -> int:
    from tui.data.synth import synthesise  # a national database's generator: only when asked for

    synthesise(file, projects, seed, say=lambda message: print(message, file=sys.stderr))
    print(f"built {file} with {projects} synthetic projects")
    return 0
