"""A small read-only WSGI application over the store (standard library + Jinja2).

URLs: ``/`` overview, ``/actor/<id>``, ``/dyad/<a>/<b>``, ``/network``,
``/doc/<id>``, ``/search``; the same paths under ``/api/`` (or any page with
``?format=json``) return the page's payload as JSON. ``/static/<file>`` serves
the bundled CSS and JavaScript. Nothing is ever written to the store.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable, Iterable
from importlib import resources as importlib_resources
from typing import Any
from urllib.parse import parse_qs, unquote

from jinja2 import Environment, PackageLoader, select_autoescape

from dyadlens.analysis.common import AnalysisContext, UnknownActorError, UnknownDocumentError, to_jsonable
from dyadlens.errors import DyadlensError
from dyadlens.web.links import WebLinks, evidence_anchor
from dyadlens.web.views import ROUTES, Page

StartResponse = Callable[..., Any]

#: Scripts and styles come from this server only; article text cannot run code.
SECURITY_HEADERS = (
    (
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
)


def template_environment() -> Environment:
    """Jinja2 with autoescaping on for every template (HTML and SVG alike)."""
    env = Environment(
        loader=PackageLoader("dyadlens.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["evidence_anchor"] = evidence_anchor
    env.globals["split_marked"] = split_marked
    env.filters["signed"] = lambda v: "–" if v is None else f"{v:+.1f}"
    return env


def split_marked(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_marked) runs; templates escape each piece."""
    runs: list[tuple[str, bool]] = []
    cursor = 0
    for start, end in sorted(spans):
        if start < cursor:
            continue
        runs.extend([(text[cursor:start], False), (text[start:end], True)])
        cursor = end
    runs.append((text[cursor:], False))
    return [run for run in runs if run[0]]


class WebApp:
    """The WSGI callable. One :class:`AnalysisContext` per request, so no cache outlives it."""

    def __init__(self, store: Any, ontology: Any, kb: Any = None) -> None:
        self.store = store
        self.ontology = ontology
        self.kb = kb
        self.env = template_environment()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            return self._respond(start_response, "405 Method Not Allowed", "text/plain", b"read-only: GET only")
        path = environ.get("PATH_INFO", "/") or "/"
        if path.startswith("/static/"):
            return self._static(start_response, path.removeprefix("/static/"))
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=False)
        as_json = path.startswith("/api/") or path == "/api" or query.get("format") == ["json"]
        segments = [unquote(s) for s in path.removeprefix("/api").strip("/").split("/") if s]
        json_url = "/api" + (path if path != "/" else "/overview") + "?" + environ.get("QUERY_STRING", "")
        return self._page(start_response, segments, query, as_json, json_url.rstrip("?"))

    def _page(
        self,
        start_response: StartResponse,
        segments: list[str],
        query: dict[str, list[str]],
        as_json: bool,
        json_url: str,
    ) -> Iterable[bytes]:
        head, args = (segments[0], segments[1:]) if segments else ("", [])
        view = ROUTES.get((head, len(args)))
        if view is None:
            return self._error(start_response, "404 Not Found", f"no page at /{'/'.join(segments)}", as_json)
        ctx = AnalysisContext(self.store, self.ontology, self.kb)
        try:
            page = view(ctx, args, query)
        except (UnknownActorError, UnknownDocumentError) as error:
            return self._error(start_response, "404 Not Found", str(error), as_json)
        except (DyadlensError, ValueError) as error:
            return self._error(start_response, "400 Bad Request", str(error), as_json)
        if as_json:
            return self._json(start_response, "200 OK", to_jsonable(page.payload))
        return self._html(start_response, "200 OK", self.render(page, json_url))

    def render(self, page: Page, json_url: str) -> str:
        template = self.env.get_template(page.template)
        return template.render(
            page=page, data=page.payload, links=WebLinks(), title=page.title, json_url=json_url, **page.extras
        )

    def _error(self, start_response: StartResponse, status: str, message: str, as_json: bool) -> Iterable[bytes]:
        if as_json:
            return self._json(start_response, status, {"error": message})
        html = self.env.get_template("error.html").render(title=status, message=message, links=WebLinks(), json_url="")
        return self._html(start_response, status, html)

    def _json(self, start_response: StartResponse, status: str, payload: Any) -> Iterable[bytes]:
        body = json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")
        return self._respond(start_response, status, "application/json; charset=utf-8", body)

    def _html(self, start_response: StartResponse, status: str, html: str) -> Iterable[bytes]:
        return self._respond(start_response, status, "text/html; charset=utf-8", html.encode("utf-8"))

    def _static(self, start_response: StartResponse, name: str) -> Iterable[bytes]:
        folder = importlib_resources.files("dyadlens.web") / "static"
        names = {entry.name for entry in folder.iterdir() if entry.is_file()}
        if name not in names:
            return self._respond(start_response, "404 Not Found", "text/plain", b"not found")
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        charset = "; charset=utf-8" if kind.startswith("text/") or kind.endswith("javascript") else ""
        return self._respond(start_response, "200 OK", kind + charset, (folder / name).read_bytes())

    def _respond(self, start_response: StartResponse, status: str, kind: str, body: bytes) -> Iterable[bytes]:
        headers = [("Content-Type", kind), ("Content-Length", str(len(body))), *SECURITY_HEADERS]
        start_response(status, headers)
        return [body]
