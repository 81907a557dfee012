"""`duikou serve`: the app's page in a web browser."""
from __future__ import annotations

import asyncio
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


def test_served_to_the_network_the_page_connects_back_to_the_address_the_browser_used(seed_db, tmp_path):
    database = copy_database(seed_db, tmp_path / "atlas.db")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen([sys.executable, "-m", "tui", "serve", "--db", str(database), "--port", str(port),
                                "--host", "0.0.0.0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        fetch_when_up(f"http://127.0.0.1:{port}/", process)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": f"atlas.lan:{port}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            page = response.read().decode("utf-8")
        assert f'data-session-websocket-url="ws://atlas.lan:{port}/ws' in page
        assert "0.0.0.0" not in page
    finally:
        process.kill()
        process.wait()


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


# ------------------------------------------------------------------------------ a guarded server

@pytest.fixture
def served(seed_db, tmp_path):
    """`duikou serve` with at most two sessions, in the background; yields (port, process)."""
    database = copy_database(seed_db, tmp_path / "atlas.db")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen([sys.executable, "-m", "tui", "serve", "--db", str(database), "--port", str(port),
                                "--max-sessions", "2", "--no-export"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    fetch_when_up(f"http://127.0.0.1:{port}/", process)
    yield port, process
    if process.poll() is None:
        process.kill()
        process.wait()


def children(pid: int) -> set[int]:
    """The live processes whose parent is `pid`."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(pid) and fields[0] != "Z":
            found.add(int(entry.name))
    return found


async def wait_until(condition, timeout: float = 10) -> bool:
    """Whether `condition` holds within `timeout` seconds; the event loop runs meanwhile, so that
    the client's sockets do what they were told."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.1)
    return condition()


async def open_socket(session, port: int, origin: str):
    return await session.ws_connect(f"http://127.0.0.1:{port}/ws?width=80&height=24", headers={"Origin": origin})


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
async def test_serve_refuses_other_origins_caps_sessions_and_ends_every_app(served):
    import aiohttp

    port, server = served
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await open_socket(session, port, "http://evil.example")          # a page on another site
        assert refused.value.status == 403
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await open_socket(session, port, f"http://127.0.0.1:{port + 1}")  # another server on this machine
        own = f"http://127.0.0.1:{port}"
        first, second = await open_socket(session, port, own), await open_socket(session, port, f"http://localhost:{port}")
        assert await wait_until(lambda: len(children(server.pid)) == 2)
        with pytest.raises(aiohttp.WSServerHandshakeError) as excess:
            await open_socket(session, port, own)
        assert excess.value.status == 503
        async with session.get(f"http://127.0.0.1:{port}/ws", headers={"Origin": own}) as answer:
            assert answer.status == 503 and "already running 2 sessions" in await answer.text()
        apps = children(server.pid)
        first._response.connection.transport.abort()                          # the browser vanishes
        assert await wait_until(lambda: len(children(server.pid)) == 1, timeout=15)
        await second.close()
        assert await wait_until(lambda: not children(server.pid), timeout=15)
        assert not any(Path(f"/proc/{pid}").exists() and "Z" not in (Path(f"/proc/{pid}/stat").read_text())
                       for pid in apps)
        again = await open_socket(session, port, own)                         # a freed place is taken again
        assert await wait_until(lambda: len(children(server.pid)) == 1)
        app = next(iter(children(server.pid)))
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=15) == 0
        assert await wait_until(lambda: not Path(f"/proc/{app}").exists()
                                or " Z " in Path(f"/proc/{app}/stat").read_text())
        await again.close()


def test_serving_to_the_network_warns(seed_db, tmp_path, monkeypatch, capsys):
    import textual_serve.server

    from tui.cli import main

    started = []
    monkeypatch.setattr(textual_serve.server.Server, "serve", lambda self, debug=False: started.append(self))
    assert main(["serve", "--db", str(seed_db), "--host", "0.0.0.0"]) == 0
    err = capsys.readouterr().err
    assert "warning: serving on 0.0.0.0: anyone who can reach this machine" in err and "--no-export" in err
    assert main(["serve", "--db", str(seed_db), "--host", "0.0.0.0", "--no-export"]) == 0
    assert "and export" not in capsys.readouterr().err
    assert started[-1].command.endswith("--no-export")
    assert main(["serve", "--db", str(seed_db)]) == 0
    assert capsys.readouterr().err == ""


def test_the_origin_must_be_the_served_host():
    from tui.cli.web_server import same_origin

    assert same_origin("http://127.0.0.1:8000", "127.0.0.1", 8000, "127.0.0.1:8000")
    assert same_origin("http://localhost:8000", "127.0.0.1", 8000, "localhost:8000")
    assert same_origin(None, "127.0.0.1", 8000, "127.0.0.1:8000")             # a program, not a page
    assert not same_origin("http://evil.example:8000", "127.0.0.1", 8000, "evil.example:8000")   # DNS rebinding
    assert not same_origin("null", "127.0.0.1", 8000, "127.0.0.1:8000")
    assert same_origin("http://atlas.lan:8000", "0.0.0.0", 8000, "atlas.lan:8000")
    assert not same_origin("http://evil.example", "0.0.0.0", 8000, "atlas.lan:8000")


async def test_an_app_that_ignores_quit_and_sigterm_is_killed(monkeypatch):
    """As an app left spinning by a browser that vanished: it reads no quit request and ignores SIGTERM."""
    from textual_serve.app_service import AppService
    from textual_serve.download_manager import DownloadManager

    from tui.cli import web_server

    async def nowhere(*args) -> None:
        return None

    monkeypatch.setattr(web_server, "QUIT_GRACE_SECONDS", 0.5)
    stubborn = (f"exec {sys.executable} -c \"import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                f"print('__GANGLION__', flush=True); time.sleep(60)\"")
    service = AppService(stubborn, write_bytes=nowhere, write_str=nowhere, close=nowhere,
                         download_manager=DownloadManager())
    await service.start(80, 24)
    process = service._process
    await asyncio.sleep(0.3)
    started = time.monotonic()
    await web_server.end_session(service)
    assert process.returncode is not None and time.monotonic() - started < 5
