"""`duikou serve`: the same app in a web browser, through textual-serve."""
from __future__ import annotations

import shlex
import subprocess
import sys
from argparse import ArgumentParser
from pathlib import Path

from tui.cli.command import Command
from tui.data import DuikouError

TITLE = "Duikou 对口"


def app_command(database: Path, lang: str | None) -> str:
    """The shell command textual-serve runs for each browser session: this Python, this package."""
    argv = [sys.executable, "-m", "tui", "--db", str(Path(database).resolve())]
    if lang:
        argv += ["--lang", lang]
    return subprocess.list2cmdline(argv) if sys.platform == "win32" else shlex.join(argv)


def serve(database: Path, *, host: str, port: int, lang: str | None) -> int:
    from textual_serve.server import Server

    try:
        Server(app_command(database, lang), host=host, port=port, title=TITLE).serve()
    except (OSError, OverflowError) as error:   # the port is taken, not ours to take, or no port at all
        raise DuikouError(f"cannot serve on {host}:{port}: {getattr(error, 'strerror', None) or error}") from None
    return 0


def _arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")


SERVE = Command("serve", "run the app in a web browser",
                lambda args, database: serve(database, host=args.host, port=args.port, lang=args.lang), _arguments)
