"""`duikou build` and `duikou synth`: a new database file, of the bundled data or of national size."""
from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path

from tui.cli.command import Action
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


def _new_file(parser: ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the new database file (must not exist)")


def _synth_arguments(parser: ArgumentParser) -> None:
    _new_file(parser)
    parser.add_argument("--projects", type=int, required=True, metavar="N", help="how many made-up projects")
    parser.add_argument("--seed", type=int, default=0, help="the same seed gives the same database (default 0)")


BUILD = Action(lambda args, _: build(args.file), _new_file)
SYNTH = Action(lambda args, _: synth(args.file, args.projects, args.seed), _synth_arguments)
