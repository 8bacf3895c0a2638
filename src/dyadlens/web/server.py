"""``dyadlens serve``: the web UI on a local port (standard library ``wsgiref``)."""

from __future__ import annotations

import socket
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from dyadlens.web.app import WebApp


class _Handler(WSGIRequestHandler):
    """Quiet (the library never prints) and passes the raw request target on as ``REQUEST_URI``.

    ``PATH_INFO`` arrives percent-decoded, so an encoded ``/`` inside a
    document id is lost there; the app splits ``REQUEST_URI`` instead
    (:func:`dyadlens.web.app.path_segments`).
    """

    def get_environ(self) -> dict[str, Any]:
        environ = super().get_environ()
        environ["REQUEST_URI"] = self.path
        return environ

    def log_message(self, format: str, *args: Any) -> None:
        return None


class _IPv6Server(WSGIServer):
    address_family = socket.AF_INET6


def make_web_server(app: WebApp, host: str = "127.0.0.1", port: int = 8765) -> WSGIServer:
    """A server bound to ``host:port`` (localhost by default; IPv6 hosts too); call ``serve_forever()``."""
    server_class = _IPv6Server if ":" in host else WSGIServer
    return make_server(host.strip("[]"), port, app, server_class=server_class, handler_class=_Handler)
