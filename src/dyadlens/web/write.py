"""The web UI's write mode (``dyadlens serve --write``): the analyst corrects events in the pages.

Read-only stays the default. In write mode:

* the server binds loopback only (:func:`check_write_host`);
* a random session token, printed in the URL ``serve --write`` prints, is the key: its first
  visit (``/?token=…``) sets it as an HttpOnly, SameSite=Strict cookie, and every other page
  (static files aside) needs that cookie, so nothing else on the machine can use the server;
* every POST must carry the session's CSRF secret in a hidden form field (compared with
  :func:`hmac.compare_digest`) and come from a page of the same origin (``Origin``, else
  ``Referer``); GET never writes;
* a correction is recorded as the CLI records it (:mod:`dyadlens.store.corrections`), then the
  browser is sent back to the page it came from (303).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field, replace
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlencode

from dyadlens.analysis.actors import resolve_actor
from dyadlens.errors import DyadlensError
from dyadlens.model import MODALITIES
from dyadlens.store.corrections import Correction, event_corrections, record_correction
from dyadlens.web.hosts import is_loopback

#: The path a correction form posts to.
CORRECT_PATH = "correct"
_MAX_FORM_BYTES = 64 * 1024


class WriteRefused(DyadlensError):
    """A write request refused: ``status`` says how (403: not this session's, 400: a bad form)."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status


def check_write_host(host: str) -> None:
    """Write mode serves loopback only: ValueError otherwise."""
    if not is_loopback(host):
        raise ValueError(f"--write serves on a loopback host only (127.0.0.1, ::1, localhost), not {host!r}")


@dataclass(frozen=True)
class WriteSession:
    """One ``serve --write`` run: its session token (the cookie), its CSRF secret and its analyst."""

    analyst: str | None = None
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)

    def url(self, base: str) -> str:
        """The URL to open: ``base`` with the session token."""
        return f"{base}?{urlencode({'token': self.token})}"

    def cookie_name(self, environ: dict[str, Any]) -> str:
        """One cookie per port: cookies do not tell two servers of one host apart."""
        return f"dyadlens_session_{environ.get('SERVER_PORT', '')}"

    def set_cookie(self, environ: dict[str, Any]) -> tuple[str, str]:
        return ("Set-Cookie", f"{self.cookie_name(environ)}={self.token}; HttpOnly; SameSite=Strict; Path=/")

    def token_given(self, environ: dict[str, Any]) -> bool:
        """Whether the request's query carries this session's token (its first visit)."""
        given = parse_qs(environ.get("QUERY_STRING", "")).get("token", [""])[0]
        return _same(given, self.token)

    def admits(self, environ: dict[str, Any]) -> bool:
        """Whether the request carries this session's cookie."""
        cookie: SimpleCookie = SimpleCookie()
        try:
            cookie.load(environ.get("HTTP_COOKIE", ""))
        except Exception:  # noqa: BLE001 - a malformed Cookie header is only a request without the cookie
            return False
        morsel = cookie.get(self.cookie_name(environ))
        return morsel is not None and _same(morsel.value, self.token)

    def check_post(self, environ: dict[str, Any], form: dict[str, list[str]]) -> None:
        """Refuse (403) a POST that is not this session's, not from its own pages or without the CSRF secret."""
        if not self.admits(environ):
            raise WriteRefused("403 Forbidden", "refused: no session (open the URL that serve --write printed)")
        if not _same_origin(environ):
            raise WriteRefused("403 Forbidden", "refused: the form was not sent from a page of this server")
        if not _same(_field(form, "csrf") or "", self.csrf):
            raise WriteRefused("403 Forbidden", "refused: the form lacks this session's token (reload the page)")

    def form_context(self, back: str) -> dict[str, Any]:
        """What the templates' correction forms need."""
        return {"csrf": self.csrf, "back": back, "action": "/" + CORRECT_PATH, "modalities": MODALITIES}


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _same_origin(environ: dict[str, Any]) -> bool:
    """Whether the request's Origin (else its Referer) is this server, as the browser reached it."""
    own = f"http://{environ.get('HTTP_HOST', '')}"
    origin = environ.get("HTTP_ORIGIN")
    if origin is not None:
        return bool(origin == own)
    referer = str(environ.get("HTTP_REFERER") or "")
    return referer == own or referer.startswith(own + "/")


def read_form(environ: dict[str, Any]) -> dict[str, list[str]]:
    """The urlencoded body of a POST (at most 64 KiB)."""
    kind = str(environ.get("CONTENT_TYPE") or "").split(";")[0].strip()
    if kind != "application/x-www-form-urlencoded":
        raise WriteRefused("400 Bad Request", "expected a form (application/x-www-form-urlencoded)")
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    if not 0 <= length <= _MAX_FORM_BYTES:
        raise WriteRefused("400 Bad Request", "the form is empty or too large")
    body = environ["wsgi.input"].read(length).decode("utf-8", "replace")
    return parse_qs(body, keep_blank_values=False)


def _field(form: dict[str, list[str]], name: str) -> str | None:
    values = [value.strip() for value in form.get(name, []) if value.strip()]
    return values[0] if values else None


def back_to(form: dict[str, list[str]]) -> str:
    """Where to send the browser after the POST: the page it came from, a path of this server only."""
    back = _field(form, "back") or "/"
    local = back.startswith("/") and not back.startswith("//") and "\\" not in back
    return back if local and back.isprintable() else "/"


def correct_from_form(store: Any, kb: Any, session: WriteSession, form: dict[str, list[str]]) -> int:
    """Record what a correction form says about its event; the number of corrections recorded."""
    event_id = _field(form, "event") or ""
    event = store.event(event_id)
    if event is None:
        raise WriteRefused("404 Not Found", f"no event {event_id!r} in the store")
    action = _field(form, "action")
    if action not in ("reject", "recode"):
        raise WriteRefused("400 Bad Request", "the form says neither reject nor recode")
    modality = _field(form, "modality")
    if modality is not None and modality not in MODALITIES:
        raise WriteRefused("400 Bad Request", f"unknown modality {modality!r}")
    source, target = _field(form, "source"), _field(form, "target")
    found = event_corrections(
        event, reject=action == "reject", code=_field(form, "code"), modality=modality, date=_field(form, "date"),
        source=resolve_actor(store, kb, source) if source else None,
        target=resolve_actor(store, kb, target) if target else None, note=_field(form, "note"),
    )
    for correction in found:
        record_correction(store, _by(correction, session.analyst))
    return len(found)


def _by(correction: Correction, analyst: str | None) -> Correction:
    return replace(correction, analyst=analyst or "web")
