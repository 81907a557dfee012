"""Timing a whole program from launch until a text appears on its screen, in a pseudo-terminal.

The program gets a terminal of its own (TERM=xterm-256color, a fixed size), as when a person
types `duikou` in a shell; its output is read as it comes and searched, with the escape sequences
between the characters taken out, for a text only the painted screen holds. Linux and macOS.
"""
from __future__ import annotations

import codecs
import os
import re
import select
import signal
import sys
import time
from dataclasses import dataclass

from tui.data import DuikouError

# CSI (colours, cursor moves), OSC (titles, clipboard), DCS and the short two-byte escapes.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|P[^\x1b]*\x1b\\|[()][0-9A-Za-z]"
                      r"|[@-Z\\-_=>])")
SETTLE = 0.3        # seconds of quiet after the text appears before the program is stopped
SETTLE_LIMIT = 3.0  # however busy it stays, it is stopped this long after the text appears


@dataclass(frozen=True)
class ColdStart:
    seconds: float      # launch to the text on screen
    peak_mb: float      # the program's largest resident memory until it was stopped


def plain(output: str) -> str:
    """Terminal output as the characters it shows: every escape sequence removed."""
    return _ESCAPES.sub("", output)


def cold_start(argv: list[str], text: str, *, size: tuple[int, int] = (120, 40), timeout: float = 60) -> ColdStart:
    """Start `argv` in a new pseudo-terminal of `size` (columns, rows) and time it until `text` shows."""
    import pty

    started = time.perf_counter()
    pid, terminal = pty.fork()
    if pid == 0:    # the child: its standard streams are the new terminal
        try:
            _set_size(0, size)
            os.execve(argv[0], argv, os.environ | {"TERM": "xterm-256color"})
        finally:
            os._exit(127)
    try:
        seconds, output = _read_until(terminal, text, started, timeout)
        _read_quietly(terminal)     # what the program loads after its first paint counts in its memory
        peak_kb = _high_water_kb(pid)
    finally:
        os.kill(pid, signal.SIGKILL)
        _, _, usage = os.wait4(pid, 0)
        os.close(terminal)
    if seconds is None:
        shown = " ".join(plain(output).split())[-120:]
        raise DuikouError(f"{text!r} never appeared on the screen of {' '.join(argv)}"
                          + (f"; it showed: {shown}" if shown else ""))
    if peak_kb is None:   # no /proc (macOS): the rusage peak, which may count the forked bench before exec
        peak_kb = usage.ru_maxrss / (1 << 10 if sys.platform == "darwin" else 1)
    return ColdStart(seconds, peak_kb / 1024)


def _high_water_kb(pid: int) -> float | None:
    """The process's peak resident memory since it was exec'ed, from Linux's /proc."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return float(line.split()[1])
    except OSError:
        pass
    return None


def _set_size(fd: int, size: tuple[int, int]) -> None:
    import fcntl
    import struct
    import termios

    columns, rows = size
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def _read_until(terminal: int, text: str, started: float, timeout: float) -> tuple[float | None, str]:
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    output = ""
    while (left := started + timeout - time.perf_counter()) > 0:
        chunk = _read(terminal, left)
        if chunk is None:
            continue
        if not chunk:               # the program ended
            break
        output += decoder.decode(chunk)
        if text in plain(output):
            return time.perf_counter() - started, output
    return None, output


def _read_quietly(terminal: int) -> None:
    until = time.perf_counter() + SETTLE_LIMIT
    while time.perf_counter() < until and _read(terminal, SETTLE):
        pass


def _read(terminal: int, wait: float) -> bytes | None:
    """What the terminal has within `wait` seconds: None for nothing yet, b"" once it is closed."""
    ready, _, _ = select.select([terminal], [], [], wait)
    if not ready:
        return None
    try:
        return os.read(terminal, 1 << 16)
    except OSError:                 # Linux says EIO when the program's side is closed
        return b""
