"""The web server's guards: Host checking (DNS rebinding), the network warning, framing, odd document ids."""

from __future__ import annotations

import html
import http.client
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from analysis_corpus import DocBuilder, build_store
from dyadlens.cli import main
from dyadlens.resources import Resources
from dyadlens.store import open_store
from dyadlens.web.app import WebApp
from dyadlens.web.hosts import HostPolicy, network_warning
from dyadlens.web.server import make_web_server

#: A document id with every character that is awkward in a URL path.
ODD_ID = "2024/50% off? #1 café %41"


def add_odd_document(path: Path) -> Path:
    """Add a document with the id :data:`ODD_ID` (title "Odd id") to the store at ``path``."""
    doc = DocBuilder(ODD_ID, ["Russia sent grain to the Taliban in June 2024."], "2024-06-02", "Odd Wire", "Odd id")
    doc.mention(0, "Russia", "russia")
    doc.mention(0, "Taliban", "taliban")
    doc.event(0, "sent", "russia", "taliban", "071", "asserted", "2024-06")
    store = open_store(path)
    try:
        store.write(doc.records)
    finally:
        store.close()
    return path


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return add_odd_document(build_store(tmp_path_factory.mktemp("websec") / "corpus.db"))


@pytest.fixture()
def app(store_path: Path, resources: Resources) -> Iterator[WebApp]:
    store = open_store(store_path)
    yield WebApp(store, resources.ontology, resources.kb)
    store.close()


def request(app: WebApp, target: str, host: str | None = "127.0.0.1:8765") -> tuple[str, dict[str, str], str]:
    """Call the app with the environ ``dyadlens serve``'s wsgiref handler builds for ``target``."""
    path, _, query = target.partition("#")[0].partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET", "SERVER_PORT": "8765", "QUERY_STRING": query,
        "REQUEST_URI": target.partition("#")[0], "PATH_INFO": unquote(path, "iso-8859-1"),
    }
    if host is not None:
        environ["HTTP_HOST"] = host
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response)).decode("utf-8")
    return seen["status"], seen["headers"], body


def get_json(app: WebApp, target: str) -> Any:
    """The JSON answer of ``target``, which must be a 200."""
    status, _, body = request(app, target)
    assert status == "200 OK", body
    return json.loads(body)


@pytest.mark.parametrize("path", ["/", "/api/overview", "/doc/ledger-0312", "/static/style.css", "/nowhere"])
@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8765", "localhost.evil.example", "127.0.0.1.nip.io:8765", "", None]
)
def test_foreign_host_names_are_refused_on_every_path(app: WebApp, path: str, host: str | None) -> None:
    status, headers, body = request(app, path, host=host)
    assert status == "400 Bad Request"
    assert headers["Content-Type"].startswith("text/plain") and "not a name of this server" in body
    assert "Russia" not in body


@pytest.mark.parametrize(
    "host", ["localhost", "localhost:8765", "127.0.0.1", "127.0.0.1:8765", "[::1]:8765", "LocalHost"]
)
def test_loopback_names_with_or_without_the_port_are_answered(app: WebApp, host: str) -> None:
    assert request(app, "/api/overview", host=host)[0] == "200 OK"


def test_a_loopback_name_with_another_port_is_refused(app: WebApp) -> None:
    assert request(app, "/api/overview", host="localhost:9999")[0] == "400 Bad Request"


def test_all_interfaces_answers_loopback_and_allowed_names_only() -> None:
    policy = HostPolicy.for_bind("0.0.0.0", ["analyst-box.lan", "192.168.1.20"])
    assert policy.admits("analyst-box.lan:8765", "8765") and policy.admits("192.168.1.20", "8765")
    assert policy.admits("localhost:8765", "8765")
    assert not policy.admits("0.0.0.0:8765", "8765") and not policy.admits("evil.example", "8765")
    assert HostPolicy.for_bind("::", ["*"]).admits("evil.example", "8765")


def test_a_specific_bind_answers_its_own_name() -> None:
    policy = HostPolicy.for_bind("192.168.1.20")
    assert policy.admits("192.168.1.20:8765", "8765")
    assert not policy.admits("localhost", "8765") and not policy.admits("evil.example", "8765")
    assert HostPolicy.for_bind("::1").admits("[::1]:8765", "8765")


def test_pages_cannot_be_framed_by_other_sites(app: WebApp) -> None:
    headers = request(app, "/")[1]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


class _StubServer:
    """Stands in for the wsgiref server: records its app and stops at once."""

    server_port = 8765

    def __init__(self, app: WebApp) -> None:
        self.app = app

    def serve_forever(self) -> None:
        raise KeyboardInterrupt

    def server_close(self) -> None:
        return None


def _serve(store_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[Any, list[_StubServer]]:
    started: list[_StubServer] = []

    def fake_make_web_server(app: WebApp, host: str, port: int) -> _StubServer:
        started.append(_StubServer(app))
        return started[-1]

    monkeypatch.setattr("dyadlens.web.server.make_web_server", fake_make_web_server)
    result = CliRunner().invoke(main, ["--db", str(store_path), "serve", *args])
    assert result.exit_code == 0, result.output
    return result, started


def test_serve_on_all_interfaces_warns_that_the_store_is_readable(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, started = _serve(store_path, monkeypatch, "--host", "0.0.0.0", "--allow-host", "analyst-box.lan")
    assert "warning: --host 0.0.0.0 is not loopback" in result.stderr
    assert "can read the whole store" in result.stderr and "analyst-box.lan" in result.stderr
    assert started[0].app.hosts.admits("analyst-box.lan:8765", "8765")
    assert not started[0].app.hosts.admits("evil.example:8765", "8765")


def test_serve_on_localhost_does_not_warn(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result, started = _serve(store_path, monkeypatch)
    assert "warning" not in result.stderr and "http://127.0.0.1:8765/" in result.stderr
    assert not started[0].app.hosts.admits("evil.example", "8765")


def test_allow_any_host_says_what_it_costs() -> None:
    warning = network_warning("0.0.0.0", 8765, HostPolicy.for_bind("0.0.0.0", ["*"]))
    assert warning is not None and "web pages you visit can read it too" in warning
    assert network_warning("localhost", 8765, HostPolicy.for_bind("localhost")) is None


def _doc_href(overview: str) -> str:
    """The overview's link to the odd document (titled "Odd id")."""
    links = re.findall(r'<a class="doc-link" href="([^"]+)">Odd id</a>', overview)
    assert len(links) == 1, "the overview does not link the odd document"
    return html.unescape(links[0])


def test_a_document_id_with_url_syntax_round_trips_through_its_link(app: WebApp) -> None:
    href = _doc_href(request(app, "/")[2])
    status, _, page = request(app, href)
    assert status == "200 OK" and f'<span class="code">{html.escape(ODD_ID)}</span>' in page
    json_href = html.unescape(re.findall(r'<a href="([^"]+)">this page as JSON</a>', page)[0])
    assert json.loads(request(app, json_href)[2])["id"] == ODD_ID
    evidence = html.unescape(re.findall(r'href="(/doc/[^"]+\?event=[^"]+)"', page)[0])
    assert request(app, evidence)[0] == "200 OK"


def test_a_plain_document_id_still_opens_without_a_raw_path(app: WebApp) -> None:
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/api/doc/ledger-0312", "HTTP_HOST": "localhost"}
    seen: dict[str, str] = {}
    body = b"".join(app(environ, lambda status, headers: seen.update(status=status)))
    assert seen["status"] == "200 OK" and json.loads(body)["id"] == "ledger-0312"


def test_the_real_server_opens_the_odd_document_and_refuses_foreign_hosts(app: WebApp) -> None:
    server = make_web_server(app, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        href = _doc_href(_http_get(server.server_port, "/", "localhost")[1])
        status, page = _http_get(server.server_port, href, f"127.0.0.1:{server.server_port}")
        assert status == 200 and f'<span class="code">{html.escape(ODD_ID)}</span>' in page
        assert _http_get(server.server_port, href, "evil.example")[0] == 400
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _http_get(port: int, target: str, host: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", target, skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


def test_serve_binds_ipv6_loopback_and_answers_its_bracketed_name(app: WebApp) -> None:
    try:
        server = make_web_server(app, host="::1", port=0)
    except OSError as error:
        pytest.skip(f"no IPv6 loopback here: {error}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        connection = http.client.HTTPConnection("::1", server.server_port, timeout=10)
        connection.request("GET", "/api/overview")
        assert connection.getresponse().status == 200
        connection.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_allow_host_with_a_port_is_a_usage_error(store_path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(store_path), "serve", "--allow-host", "analyst-box.lan:8765"])
    assert result.exit_code == 2 and "without a port" in result.output


def test_ipv6_names_are_compared_in_their_compressed_form() -> None:
    assert HostPolicy.for_bind("0:0:0:0:0:0:0:1").admits("[::1]:8765", "8765")
    assert HostPolicy.for_bind("::", ["FE80:0:0:0:0:0:0:1"]).admits("[fe80::1]", "8765")
