"""`duikou serve`: the app's page in a web browser."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from support import copy_database

from tui.cli.serve import app_command

pytest.importorskip("textual_serve")
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch_when_up(url: str, process: subprocess.Popen, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"duikou serve did not answer at {url}: {process.communicate()}")
            time.sleep(0.2)


def test_serve_answers_with_the_apps_page_and_stops_on_a_signal(seed_db, tmp_path):
    database = copy_database(seed_db, tmp_path / "atlas.db")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen([sys.executable, "-m", "tui", "serve", "--db", str(database), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        page = fetch_when_up(f"http://127.0.0.1:{port}/", process)
        assert "Duikou 对口" in page
        assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws' in page
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert process.returncode == 0


def test_each_session_runs_this_python_on_the_chosen_database(seed_db, tmp_path):
    """textual-serve runs the command through the shell; a path with a space must arrive whole."""
    database = copy_database(seed_db, tmp_path / "my atlas.db")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(app_command(database, "en") + " check", shell=True, capture_output=True, text=True,
                            env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"no problems in {database.resolve()}" in result.stdout


def test_serve_refuses_a_missing_database(tmp_path):
    result = subprocess.run([sys.executable, "-m", "tui", "serve", "--db", str(tmp_path / "none.db")],
                            capture_output=True, text=True, cwd=ROOT, timeout=30)
    assert result.returncode == 1
    assert result.stderr.startswith("duikou: no database at")


def test_a_port_in_use_is_one_line(seed_db, tmp_path):
    database = copy_database(seed_db, tmp_path / "atlas.db")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "tui", "serve", "--db", str(database), "--port", str(port)],
                                capture_output=True, text=True, cwd=ROOT, timeout=30)
    assert result.returncode == 1
    assert result.stderr.startswith(f"duikou: cannot serve on 127.0.0.1:{port}: ") and "Traceback" not in result.stderr
