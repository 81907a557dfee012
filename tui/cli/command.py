"""A command of the command line in two records: its `Command` in the registry (`tui/cli/__init__.py`:
name, help, which database it is given, where its action lives), which `duikou --help` reads
without importing anything, and its `Action` in its own module (arguments, what it runs), imported
only when the command is chosen, so that `duikou search` loads search's code and not the bench's."""
from __future__ import annotations

from argparse import ArgumentParser, Namespace
from importlib import import_module
from pathlib import Path
from typing import Callable, Literal, NamedTuple

# Which database a command is given:
#  'sound'  --db, else the default database, checked first, so a damaged file is one line;
#  'any'    the same, unchecked (`check` reports damage itself);
#  'given'  --db as typed, None without it (`load` must never write into the default database);
#  'none'   no --db at all: the command makes a file of its own.
Opens = Literal["sound", "any", "given", "none"]
# Which derived tables a 'sound' command needs in step with other programs' changes before it runs
# (tui.data.derived.KEPT_FOR): 'search' waits for the search index alone, and leaves the sums'
# catch-up to the first reader of a sum.
Reads = Literal["everything", "search"]


def no_arguments(parser: ArgumentParser) -> None:
    """A command that takes nothing but --db."""


class Action(NamedTuple):
    """What a command does, defined in its module."""
    run: Callable[[Namespace, Path | None], int]     # the parsed arguments, and its database
    arguments: Callable[[ArgumentParser], None] = no_arguments


class Command(NamedTuple):
    name: str
    help: str
    action: str                                      # "module:NAME" of its Action, as entry points name one
    description: str | None = None                   # for `duikou NAME --help`; else `help`
    opens: Opens = "sound"
    reads: Reads = "everything"

    def load(self) -> Action:
        module, _, name = self.action.partition(":")
        return getattr(import_module(module), name)
