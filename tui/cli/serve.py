"""`duikou serve`: the same app in a web browser, through textual-serve."""
from __future__ import annotations

import shlex
import subprocess
import sys
from argparse import ArgumentParser
from pathlib import Path

from tui.cli.command import Action
from tui.data import DuikouError

TITLE = "Duikou 对口"


MAX_SESSIONS = 8   # each session is an app process of some 40 MB


def app_command(database: Path, lang: str | None, *, exports: bool = True) -> str:
    """The shell command textual-serve runs for each browser session: this Python, this package.
    `exec`: the shell becomes the app, so that ending the process it started ends the app."""
    argv = [sys.executable, "-m", "tui", "--db", str(Path(database).resolve())]
    if lang:
        argv += ["--lang", lang]
    if not exports:
        argv.append("--no-export")
    return subprocess.list2cmdline(argv) if sys.platform == "win32" else "exec " + shlex.join(argv)


def serve(database: Path, *, host: str, port: int, lang: str | None, max_sessions: int = MAX_SESSIONS,
          exports: bool = True) -> int:
    from tui.cli.web_server import LOOPBACK_NAMES, GuardedServer

    if max_sessions < 1:
        raise DuikouError("--max-sessions must be at least 1")
    if host not in LOOPBACK_NAMES:
        print(f"duikou: warning: serving on {host}: anyone who can reach this machine on port {port} can browse"
              + (" and export into this folder (add --no-export to prevent it)" if exports else ""), file=sys.stderr)
    server = GuardedServer(app_command(database, lang, exports=exports), host=host, port=port, title=TITLE,
                           max_sessions=max_sessions)
    try:
        server.serve()
    except (OSError, OverflowError) as error:   # the port is taken, not ours to take, or no port at all
        raise DuikouError(f"cannot serve on {host}:{port}: {getattr(error, 'strerror', None) or error}") from None
    return 0


def _arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1; 0.0.0.0 opens it to the network)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument("--max-sessions", type=int, default=MAX_SESSIONS, metavar="N",
                        help=f"at most N browser sessions at once, one app process each (default {MAX_SESSIONS})")
    parser.add_argument("--no-export", dest="exports", action="store_false",
                        help="browse only: the app's export key writes no file")


SERVE = Action(lambda args, database: serve(database, host=args.host, port=args.port, lang=args.lang,
                                            max_sessions=args.max_sessions, exports=args.exports), _arguments)
