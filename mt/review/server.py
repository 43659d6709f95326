"""Bind a socket and serve the app on it with uvicorn. The socket is bound here (not
by uvicorn) so that port 0 can pick a free port and the URL printed names the port
really used."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from mt.errors import MtError

WILDCARDS = ("0.0.0.0", "::", "")


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: a free one)."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(64)
    except OSError as exc:
        raise MtError(f"cannot listen on {host}:{port} ({exc.strerror or exc})",
                      hint="pass another --port (0 picks a free one) or --host") from None
    return sock


def url(sock: socket.socket, token: str) -> str:
    host, port = sock.getsockname()[:2]
    if host in WILDCARDS:
        host = "127.0.0.1"
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/?token={token}"


def _server(app, sock: socket.socket):
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                            timeout_graceful_shutdown=2)
    return uvicorn.Server(config)


def serve(app, sock: socket.socket) -> None:
    """Serve until interrupted (uvicorn handles Ctrl+C and SIGTERM)."""
    _server(app, sock).run(sockets=[sock])


@contextmanager
def running(app, sock: socket.socket) -> Iterator[None]:
    """Serve in a background thread for the duration of the block (tests, embedding)."""
    server = _server(app, sock)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started and thread.is_alive():
            thread.join(0.02)
        yield
    finally:
        server.should_exit = True
        thread.join(10)
