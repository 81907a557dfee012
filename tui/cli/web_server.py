"""textual-serve's server, guarded: a page from another site cannot drive the app, the number of
app processes is capped, and every app process ends when its socket closes or the server stops.
Imported only by `duikou serve`, so that nothing else needs textual-serve or aiohttp."""
from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

log = logging.getLogger("duikou.serve")

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
ANY_ADDRESS = frozenset({"0.0.0.0", "::", ""})
QUIT_GRACE_SECONDS = 3.0    # how long an app is given to quit before it is killed


def same_origin(origin: str | None, served_host: str, port: int, request_host: str) -> bool:
    """Whether a websocket's Origin is the page this server served. Browsers always send an Origin;
    a program without one is not a page that another site could have opened."""
    if origin is None:
        return True
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or parts.hostname is None:
        return False
    origin_port = parts.port or (443 if parts.scheme == "https" else 80)
    if origin_port != port:
        return False
    if served_host in ANY_ADDRESS:
        # Whatever name the machine is reached by: it must be the one the request was sent to.
        return parts.netloc.lower() == request_host.lower()
    names = LOOPBACK_NAMES if served_host in LOOPBACK_NAMES else {served_host.lower()}
    return parts.hostname.lower() in {name.strip("[]") for name in names}


class GuardedServer(Server):
    def __init__(self, command: str, *, host: str, port: int, title: str, max_sessions: int) -> None:
        super().__init__(command, host=host, port=port, title=title)
        self.max_sessions = max_sessions
        self.sessions: dict[AppService, web.WebSocketResponse] = {}

    async def handle_index(self, request: web.Request) -> web.Response:
        """The app's page; served on every address, its socket is the address the browser used,
        not 0.0.0.0, which a browser cannot connect to."""
        if self.host in ANY_ADDRESS:
            # Read back before the page's first await, so no other request's address can slip in.
            self.public_url = f"{request.scheme}://{request.host}"
        return await super().handle_index(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not same_origin(request.headers.get("Origin"), self.host, self.port, request.host):
            log.warning("refused a websocket from %s", request.headers.get("Origin"))
            raise web.HTTPForbidden(text="Duikou answers only pages it served itself: open it from its own address\n")
        if len(self.sessions) >= self.max_sessions:
            raise web.HTTPServiceUnavailable(
                text=f"Duikou is already running {self.max_sessions} sessions, as many as it was started to: "
                     f"close one and reload, or restart `duikou serve` with a larger --max-sessions\n")
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        await websocket.prepare(request)
        service = AppService(self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                             close=websocket.close, download_manager=self.download_manager, debug=self.debug)
        self.sessions[service] = websocket
        try:
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:   # a broken message from the browser ends its session, not the server
            log.exception("a session ended on an error")
        finally:
            self.sessions.pop(service, None)
            await end_session(service)
        return websocket

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every socket and end its app: aiohttp would otherwise wait for the browsers to leave."""
        sessions = list(self.sessions.items())
        await asyncio.gather(*(websocket.close(code=WSCloseCode.GOING_AWAY, message=b"Duikou stopped serving")
                               for _, websocket in sessions), return_exceptions=True)
        await asyncio.gather(*(end_session(service) for service, _ in sessions))


async def end_session(service: AppService) -> None:
    """Ask the app to quit; kill it if it has not within the grace period (an app whose browser
    went away abruptly may never read the request)."""
    process = service._process   # textual-serve keeps the process it started here, with no accessor
    if process is None or process.returncode is not None:
        return
    try:
        await asyncio.wait_for(service.stop(), QUIT_GRACE_SECONDS)
    except (TimeoutError, ConnectionError, OSError):
        pass
    if process.returncode is None:
        try:
            await asyncio.wait_for(process.wait(), 0.5)
        except TimeoutError:
            process.kill()
            await process.wait()
