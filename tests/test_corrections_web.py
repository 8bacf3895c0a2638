"""The web UI's write mode: who may write (session cookie, CSRF field, same origin), what it writes.

The app is called as a WSGI callable over the hand-written analysis corpus; the browser test is
tests/test_corrections_roundtrip.py.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

from analysis_corpus import build_store
from dyadlens.cli import main
from dyadlens.model import Event
from dyadlens.resources import Resources
from dyadlens.store import open_store
from dyadlens.store.store import Store
from dyadlens.web.app import WebApp
from dyadlens.web.write import WriteSession

HOST = "127.0.0.1:8765"
ORIGIN = f"http://{HOST}"


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(build_store(tmp_path / "corpus.db"))
    yield opened
    opened.close()


@pytest.fixture()
def session() -> WriteSession:
    return WriteSession(analyst="A. Analyst")


@pytest.fixture()
def app(store: Store, resources: Resources, session: WriteSession) -> WebApp:
    return WebApp(store, resources.ontology, resources.kb, write=session)


def call(app: WebApp, target: str, *, method: str = "GET", cookie: str | None = None, body: str = "",
         headers: dict[str, str] | None = None) -> tuple[str, dict[str, str], str]:
    """The app's answer to one request, as ``dyadlens serve``'s handler would pass it on."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method, "SERVER_PORT": "8765", "HTTP_HOST": HOST, "REQUEST_URI": target,
        "PATH_INFO": target.partition("?")[0], "QUERY_STRING": target.partition("?")[2],
        "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body.encode())),
        "wsgi.input": io.BytesIO(body.encode()),
    }
    if cookie is not None:
        environ["HTTP_COOKIE"] = cookie
    environ.update(headers or {})
    seen: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = status, dict(response_headers)

    text = b"".join(app(environ, start_response)).decode("utf-8")
    return seen["status"], seen["headers"], text


def cookie_of(session: WriteSession) -> str:
    return f"dyadlens_session_8765={session.token}"


@pytest.fixture()
def listing(store: Store) -> str:
    """The id of the ledger's 2003 listing event, the one the forms correct."""
    [event] = [e for e in store.events() if e.doc_id == "ledger-0312" and e.code == "172"]
    return event.id


def stored(store: Store, event_id: str) -> Event:
    event = store.event(event_id)
    assert event is not None
    return event


def form(session: WriteSession, event_id: str, **fields: str) -> str:
    return urlencode({"csrf": session.csrf, "back": "/doc/ledger-0312", "event": event_id, **fields})


def test_serve_write_is_refused_off_loopback(tmp_path: Path) -> None:
    db = build_store(tmp_path / "corpus.db")
    result = CliRunner().invoke(main, ["--db", str(db), "serve", "--write", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "loopback" in result.output and "Traceback" not in result.output


def test_the_token_url_sets_a_strict_http_only_cookie_and_pages_need_it(app: WebApp, session: WriteSession) -> None:
    assert call(app, "/doc/ledger-0312")[0] == "403 Forbidden"
    assert call(app, "/?token=wrong")[0] == "403 Forbidden"
    status, headers, _ = call(app, f"/doc/ledger-0312?token={session.token}")
    assert status == "303 See Other" and headers["Location"] == "/doc/ledger-0312"
    cookie = headers["Set-Cookie"]
    assert cookie.startswith(f"dyadlens_session_8765={session.token};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    status, headers, html = call(app, "/doc/ledger-0312", cookie=cookie_of(session))
    assert status == "200 OK" and headers["Referrer-Policy"] == "same-origin"
    assert f'name="csrf" value="{session.csrf}"' in html and 'class="correct-form"' in html


def test_read_only_pages_carry_no_forms_and_refuse_posts(store: Store, resources: Resources,
                                                         session: WriteSession, listing: str) -> None:
    read_only = WebApp(store, resources.ontology, resources.kb)
    status, _, html = call(read_only, "/doc/ledger-0312")
    assert status == "200 OK" and "correct-form" not in html and 'name="csrf"' not in html
    status, _, _ = call(read_only, "/correct", method="POST", cookie=cookie_of(session),
                        body=form(session, listing, action="reject"), headers={"HTTP_ORIGIN": ORIGIN})
    assert status == "405 Method Not Allowed"


@pytest.mark.parametrize(
    ("with_cookie", "with_csrf", "headers"),
    [
        (False, True, {"HTTP_ORIGIN": ORIGIN}),  # no session
        (True, False, {"HTTP_ORIGIN": ORIGIN}),  # no CSRF field
        (True, True, {"HTTP_ORIGIN": "http://evil.example"}),  # another origin
        (True, True, {"HTTP_ORIGIN": "null"}),
        (True, True, {"HTTP_REFERER": "http://evil.example/doc/ledger-0312"}),
        (True, True, {}),  # neither Origin nor Referer
    ],
)
def test_posts_without_the_session_the_token_or_the_origin_are_refused(
    app: WebApp, store: Store, session: WriteSession, listing: str, with_cookie: bool, with_csrf: bool,
    headers: dict[str, str],
) -> None:
    body = form(session, listing, action="reject")
    if not with_csrf:
        body = re.sub(r"csrf=[^&]*&", "", body)
    status, _, _ = call(app, "/correct", method="POST", cookie=cookie_of(session) if with_cookie else None,
                        body=body, headers=headers)
    assert status == "403 Forbidden"
    assert stored(store, listing).correction is None  # nothing was written


def test_a_get_never_writes(app: WebApp, store: Store, session: WriteSession, listing: str) -> None:
    event_id = listing
    status, _, _ = call(app, "/correct?" + form(session, event_id, action="reject"), cookie=cookie_of(session))
    assert status == "404 Not Found"
    assert stored(store, listing).correction is None


def test_a_form_rejects_an_event_and_goes_back(app: WebApp, store: Store, session: WriteSession,
                                               listing: str) -> None:
    event_id = listing
    status, headers, _ = call(app, "/correct", method="POST", cookie=cookie_of(session),
                              body=form(session, event_id, action="reject", note="a report of 2003"),
                              headers={"HTTP_ORIGIN": ORIGIN})
    assert status == "303 See Other" and headers["Location"] == "/doc/ledger-0312"
    assert stored(store, listing).correction == "rejected"
    _, _, html = call(app, "/doc/ledger-0312", cookie=cookie_of(session))
    assert f'value="{event_id}"' not in html


def test_a_form_recodes_and_redates_an_event_from_a_same_origin_referer(
    app: WebApp, store: Store, session: WriteSession, listing: str
) -> None:
    event_id = listing
    body = form(session, event_id, action="recode", code="173", date="2003-02", modality="", source="Russia")
    status, _, _ = call(app, "/correct", method="POST", cookie=cookie_of(session), body=body,
                        headers={"HTTP_REFERER": f"{ORIGIN}/doc/ledger-0312"})
    assert status == "303 See Other"
    event = store.event(event_id)
    assert event is not None and (event.code, event.date, event.modality) == ("173", "2003-02", "asserted")
    from dyadlens.store.corrections import corrections

    assert [(c.action, c.analyst) for c in corrections(store)] == [("recode", "A. Analyst"), ("redate", "A. Analyst")]


@pytest.mark.parametrize(("fields", "status"), [
    ({"action": "recode"}, "400 Bad Request"),  # changes nothing
    ({"action": "recode", "date": "2003-13"}, "400 Bad Request"),
    ({"action": "recode", "modality": "certain"}, "400 Bad Request"),
    ({"action": "delete"}, "400 Bad Request"),
    ({"action": "reject", "event": "no-such-event"}, "404 Not Found"),
])
def test_a_bad_form_is_refused_with_a_message(app: WebApp, session: WriteSession, listing: str,
                                              fields: dict[str, str], status: str) -> None:
    body = form(session, listing, **fields)
    answer, _, _ = call(app, "/correct", method="POST", cookie=cookie_of(session), body=body,
                        headers={"HTTP_ORIGIN": ORIGIN})
    assert answer == status


def test_going_back_stays_on_this_server(app: WebApp, session: WriteSession, listing: str) -> None:
    body = form(session, listing, action="reject").replace("back=%2Fdoc", "back=%2F%2Fevil.example%2F")
    _, headers, _ = call(app, "/correct", method="POST", cookie=cookie_of(session), body=body,
                         headers={"HTTP_ORIGIN": ORIGIN})
    assert headers["Location"] == "/"


def test_article_text_stays_escaped_in_write_mode(app: WebApp, session: WriteSession) -> None:
    _, _, html = call(app, "/doc/hostile-0505", cookie=cookie_of(session))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "correct-form" in html
