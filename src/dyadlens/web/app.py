"""A small read-only WSGI application over the store (standard library + Jinja2).

URLs: ``/`` overview, ``/actor/<id>``, ``/dyad/<a>/<b>`` (its sources side by side at
``/dyad/<a>/<b>/sources``), ``/network``,
``/doc/<id>``, ``/search``; the same paths under ``/api/`` (or any page with
``?format=json``) return the page's payload as JSON. ``/static/<file>`` serves
the bundled CSS and JavaScript. Nothing is written to the store, unless the app
runs in write mode (``serve --write``: :mod:`dyadlens.web.write`), where the
pages carry correction forms that POST to ``/correct``. Requests
whose ``Host`` is not one of the server's names are refused first, whatever
the path (:mod:`dyadlens.web.hosts`).
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable, Iterable, Mapping
from importlib import resources as importlib_resources
from typing import Any
from urllib.parse import parse_qs, quote, unquote_to_bytes

from dyadlens.analysis.actors import UnknownActorError
from dyadlens.analysis.common import AnalysisContext, UnknownDocumentError, to_jsonable
from dyadlens.analysis.explorer import UnknownEventError
from dyadlens.errors import DyadlensError
from dyadlens.web.hosts import LOCAL_ONLY, HostPolicy
from dyadlens.web.links import WebLinks
from dyadlens.web.rendering import template_environment
from dyadlens.web.views import ROUTES, Page, PageNotFound
from dyadlens.web.write import CORRECT_PATH, WriteRefused, WriteSession, back_to, correct_from_form, read_form

StartResponse = Callable[..., Any]

#: Scripts and styles come from this server only, so article text cannot run code;
#: no other site may frame the pages (clickjacking).
SECURITY_HEADERS = (
    (
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
)


def _wsgi_bytes(text: str) -> bytes:
    """The bytes behind a WSGI string (latin-1 per PEP 3333; UTF-8 from callers that ignore that)."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8")


def path_segments(environ: Mapping[str, Any]) -> list[str]:
    """The request path as its decoded segments, a ``/`` inside a segment kept.

    Links quote each segment whole (``/doc/2024%2Farticle`` for the document
    ``2024/article``), but a WSGI server hands over ``PATH_INFO`` already
    percent-decoded, where that ``%2F`` is a plain ``/`` (and decoding once
    more would turn an id's literal ``%41`` into ``A``). So the raw request
    path is split instead, on ``/``, and each segment decoded exactly once, as
    UTF-8: ``REQUEST_URI`` (set by ``dyadlens serve``'s handler, uWSGI and
    others) or gunicorn's ``RAW_URI``. Without either, ``PATH_INFO`` is split
    as it is; there an id containing ``/`` cannot be told apart.
    """
    raw = str(environ.get("REQUEST_URI") or environ.get("RAW_URI") or "").partition("?")[0]
    if raw.startswith("/"):
        parts = [unquote_to_bytes(part) for part in _wsgi_bytes(raw).split(b"/")]
    else:
        parts = _wsgi_bytes(environ.get("PATH_INFO") or "/").split(b"/")
    return [part.decode("utf-8", "replace") for part in parts if part]


def _json_url(segments: list[str], query_string: str) -> str:
    """The ``/api/`` twin of the page at ``segments``, each segment quoted as the links quote it."""
    url = "/api/" + ("/".join(quote(segment, safe="") for segment in segments) or "overview")
    return f"{url}?{query_string}" if query_string else url


class WebApp:
    """The WSGI callable. One :class:`AnalysisContext` per request, so no cache outlives it."""

    def __init__(self, store: Any, ontology: Any, kb: Any = None, hosts: HostPolicy = LOCAL_ONLY,
                 write: WriteSession | None = None) -> None:
        self.store = store
        self.ontology = ontology
        self.kb = kb
        self.hosts = hosts
        self.write = write
        self.env = template_environment()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST")
        if not self.hosts.admits(host, environ.get("SERVER_PORT")):
            message = f"refused: Host {host or '(none)'} is not a name of this server (serve --allow-host NAME)"
            return self._respond(start_response, "400 Bad Request", "text/plain; charset=utf-8", message.encode())
        method = environ.get("REQUEST_METHOD", "GET")
        segments = path_segments(environ)
        if segments[:1] == ["static"] and method in ("GET", "HEAD"):
            return self._static(start_response, segments[1] if len(segments) == 2 else "")
        if self.write is not None and method == "POST" and segments == [CORRECT_PATH]:
            return self._correct(environ, start_response)
        if method not in ("GET", "HEAD"):
            return self._respond(start_response, "405 Method Not Allowed", "text/plain", b"read-only: GET only")
        if self.write is not None and not self.write.admits(environ):
            return self._enter(environ, start_response)
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=False)
        as_json = segments[:1] == ["api"] or query.get("format") == ["json"]
        segments = segments[1:] if segments[:1] == ["api"] else segments
        json_url = _json_url(segments, environ.get("QUERY_STRING", ""))
        return self._page(start_response, segments, query, as_json, json_url, str(environ.get("REQUEST_URI") or "/"))

    def _page(
        self,
        start_response: StartResponse,
        segments: list[str],
        query: dict[str, list[str]],
        as_json: bool,
        json_url: str,
        back: str = "/",
    ) -> Iterable[bytes]:
        head, args = (segments[0], segments[1:]) if segments else ("", [])
        view = ROUTES.get((head, len(args)))
        if view is None:
            return self._error(start_response, "404 Not Found", f"no page at /{'/'.join(segments)}", as_json)
        ctx = AnalysisContext(self.store, self.ontology, self.kb)
        try:
            page = view(ctx, args, query)
        except (UnknownActorError, UnknownDocumentError, UnknownEventError, PageNotFound) as error:
            return self._error(start_response, "404 Not Found", str(error), as_json)
        except (DyadlensError, ValueError) as error:
            return self._error(start_response, "400 Bad Request", str(error), as_json)
        if as_json:
            return self._json(start_response, "200 OK", to_jsonable(page.payload))
        if "download" in page.extras:
            return self._download(start_response, *page.extras["download"])
        return self._html(start_response, "200 OK", self.render(page, json_url, back))

    def render(self, page: Page, json_url: str, back: str = "/") -> str:
        template = self.env.get_template(page.template)
        write = self.write.form_context(back) if self.write is not None else None
        return template.render(
            page=page, data=page.payload, links=WebLinks(), title=page.title, json_url=json_url, write=write,
            **page.extras
        )

    def _enter(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Write mode without the session's cookie: its token sets it (303 to the same page), else 403."""
        assert self.write is not None
        if not self.write.token_given(environ):
            message = b"refused: write mode needs the session (open the URL that serve --write printed)"
            return self._respond(start_response, "403 Forbidden", "text/plain; charset=utf-8", message)
        location = str(environ.get("REQUEST_URI") or "/").partition("?")[0] or "/"
        return self._redirect(start_response, location, [self.write.set_cookie(environ)])

    def _correct(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """A correction form's POST: checked (session, origin, CSRF), recorded, then back to its page."""
        assert self.write is not None
        try:
            form = read_form(environ) if self.write.admits(environ) else {}
            self.write.check_post(environ, form)
            correct_from_form(self.store, self.kb, self.write, form)
        except WriteRefused as refused:
            return self._error(start_response, refused.status, str(refused), False)
        except (DyadlensError, ValueError) as error:
            return self._error(start_response, "400 Bad Request", str(error), False)
        return self._redirect(start_response, back_to(form), [])

    def _redirect(self, start_response: StartResponse, location: str, extra: list[tuple[str, str]]) -> Iterable[bytes]:
        start_response("303 See Other", [("Location", location), ("Content-Length", "0"), *extra,
                                         *self._security_headers()])
        return [b""]

    def _security_headers(self) -> tuple[tuple[str, str], ...]:
        """In write mode the forms need their Origin sent (``no-referrer`` would make it ``null``)."""
        if self.write is None:
            return SECURITY_HEADERS
        return (*SECURITY_HEADERS[:2], ("Referrer-Policy", "same-origin"), ("Cache-Control", "no-store"))

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

    def _download(self, start_response: StartResponse, filename: str, text: str) -> Iterable[bytes]:
        """A CSV file the browser saves (``/events.csv``)."""
        body = text.encode("utf-8")
        start_response("200 OK", [("Content-Type", "text/csv; charset=utf-8"), ("Content-Length", str(len(body))),
                                  ("Content-Disposition", f'attachment; filename="{filename}"'),
                                  *self._security_headers()])
        return [body]

    def _respond(self, start_response: StartResponse, status: str, kind: str, body: bytes) -> Iterable[bytes]:
        headers = [("Content-Type", kind), ("Content-Length", str(len(body))), *self._security_headers()]
        start_response(status, headers)
        return [body]
