"""A command of the command line as one record: its name, its help, its arguments, which database
it is given, and what it runs. Each command's module holds its records."""
from __future__ import annotations

from argparse import ArgumentParser, Namespace
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Literal

# Which database a command is given:
#  'sound'  --db, else the default database, checked first, so a damaged file is one line;
#  'any'    the same, unchecked (`check` reports damage itself);
#  'given'  --db as typed, None without it (`load` must never write into the default database);
#  'none'   no --db at all: the command makes a file of its own.
Opens = Literal["sound", "any", "given", "none"]


def no_arguments(parser: ArgumentParser) -> None:
    """A command that takes nothing but --db."""


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: Callable[[Namespace, Path | None], int]     # the parsed arguments, and its database
    arguments: Callable[[ArgumentParser], None] = no_arguments
    description: str | None = None                   # for `duikou NAME --help`; else `help`
    opens: Opens = "sound"
