"""``dyadlens serve``: the web UI on a local port (standard library ``wsgiref``)."""

from __future__ import annotations

from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from dyadlens.web.app import WebApp


class _QuietHandler(WSGIRequestHandler):
    """Request handler that does not log each request to stderr (the library never prints)."""

    def log_message(self, format: str, *args: Any) -> None:
        return None


def make_web_server(app: WebApp, host: str = "127.0.0.1", port: int = 8765) -> WSGIServer:
    """A server bound to ``host:port`` (localhost by default); call ``serve_forever()``."""
    return make_server(host, port, app, handler_class=_QuietHandler)
