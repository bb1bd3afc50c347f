"""Serve a WSGI app over real HTTP on 127.0.0.1 in a background thread (demo and tests).

``with serve_in_thread(app) as url:`` starts a ``wsgiref`` server on a free port and stops it on exit;
``threaded=True`` serves every request in its own thread, so concurrent clients really overlap.
"""

from __future__ import annotations

import contextlib
import socketserver
import threading
from collections.abc import Iterator
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _QuietHandler(WSGIRequestHandler):
    """Keeps the access log off stderr; the Web Connector transcript already records every call."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


@contextlib.contextmanager
def serve_in_thread(app: Any, *, host: str = "127.0.0.1", path: str = "/qbwc",
                    threaded: bool = False) -> Iterator[str]:
    """Yield the URL of ``app`` served on ``host`` at a free port; shut the server down afterwards."""
    server_class = _ThreadingServer if threaded else WSGIServer
    server: WSGIServer = make_server(host, 0, app, server_class=server_class, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}{path}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
