"""`duikou serve`: the same app in a web browser, through textual-serve."""
from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

TITLE = "Duikou 对口"


def app_command(database: Path, lang: str | None) -> str:
    """The shell command textual-serve runs for each browser session: this Python, this package."""
    argv = [sys.executable, "-m", "tui", "--db", str(Path(database).resolve())]
    if lang:
        argv += ["--lang", lang]
    return subprocess.list2cmdline(argv) if sys.platform == "win32" else shlex.join(argv)


def serve(database: Path, *, host: str, port: int, lang: str | None) -> int:
    from textual_serve.server import Server

    print(f"Duikou on http://{host}:{port} (ctrl+c stops it)", flush=True)
    Server(app_command(database, lang), host=host, port=port, title=TITLE).serve()
    return 0
