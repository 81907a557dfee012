"""Writing an export to a file, for `duikou export --output` and the app's export key alike.

A file is written under a temporary name beside its destination and moved there only when
complete, so a failed or interrupted export leaves no half file, and the file it was to replace
(with --force) stays as it was.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Callable, Iterable, TextIO

from tui.data import Atlas, DuikouError
from tui.data.atlas import Scope
from tui.data.items import items, sector_dac5
from tui.export import FORMATS, Export, write

Fill = Callable[[TextIO], None]


def filler(atlas: Atlas, scope: Scope, title: str, fmt: str) -> Fill:
    """What writes the export of `scope` in `fmt` to an open file."""
    return lambda out: write(Export(items(atlas, scope), title, sector_dac5(atlas)), fmt, out)


def write_file(path: Path, fill: Fill, *, overwrite: bool) -> Path:
    if path.exists() and not (path.is_file() or path.is_dir()):   # a pipe, a device, a socket
        raise DuikouError(f"{path} is not a regular file: an export writes only over a file, give a file name")
    return _write(path.parent, [path], fill, overwrite=overwrite)


def write_new_file(folder: Path, stem: str, fmt: str, fill: Fill) -> Path:
    """Write to FOLDER/STEM.suffix, or STEM-2.suffix … when taken: never over another file."""
    names = (folder / f"{stem}{'' if n == 1 else f'-{n}'}.{FORMATS[fmt].suffix}" for n in range(1, 1000))
    return _write(folder, names, fill, overwrite=False)


def _write(folder: Path, names: Iterable[Path], fill: Fill, *, overwrite: bool) -> Path:
    if not folder.is_dir():
        raise DuikouError(f"there is no folder {folder} to write in")
    try:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=".duikou-export-", suffix=".part")
    except OSError as error:
        raise DuikouError(f"cannot write in {folder}: {error.strerror}") from None
    try:
        with open(handle, "w", encoding="utf-8", newline="") as out:
            fill(out)
        os.chmod(temp, 0o644)   # mkstemp makes a private file; an export is meant to be shared
        for path in names:
            if path.is_dir():
                raise DuikouError(f"{path} is a folder: give a file name")
            try:
                if overwrite:
                    os.replace(temp, path)
                else:
                    os.link(temp, path)   # fails, where a rename would replace, when the name is taken
                return path
            except FileExistsError:
                continue
        raise DuikouError(f"{path} already exists: give another name, or add --force to replace it")
    except OSError as error:
        raise DuikouError(f"cannot write {error.filename or folder}: {error.strerror}") from None
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def slug(labels: list[str]) -> str:
    """A node's path as a file name: its words, joined by hyphens (all pairings: `all`)."""
    text = "-".join(re.sub(r"[^\w]+", "-", label).strip("-") for label in labels)
    return text[:60].strip("-") or "all"
