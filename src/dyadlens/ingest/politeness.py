"""Polite HTTP GETs: robots.txt, a per-host rate limit, a user agent, and limits on
time, size, redirects and schemes.

:class:`PoliteClient` is the one way dyadlens talks to a web server. Each request
(the robots.txt file included) waits until ``delay`` seconds (or the site's own
``Crawl-delay``, if longer) have passed since the previous request to that host.
Each redirect is a new request: its URL is checked like the first one. Whatever
goes wrong with one URL is a :class:`FetchError` naming the URL; the caller
records it and goes on with the next.

robots.txt follows RFC 9309: a file that is missing (4xx) allows everything;
a server error or an unreachable server forbids everything for that host.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from http.client import HTTPException
from typing import IO
from urllib.parse import urljoin, urlsplit

from dyadlens import __version__

SCHEMES = ("http", "https")
_CHUNK = 64 * 1024


def user_agent(contact: str | None = None) -> str:
    """``dyadlens/<version> (+contact)``: who is asking, and how to reach them."""
    return f"dyadlens/{__version__} (+{contact})" if contact else f"dyadlens/{__version__}"


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How politely and how far a fetch goes; one policy for a whole run."""

    user_agent: str = field(default_factory=user_agent)
    delay: float = 1.0  # seconds between two requests to the same host
    timeout: float = 20.0  # seconds a connection or a read may wait
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5


@dataclass(frozen=True, slots=True)
class Response:
    """A final answer: 200 with its body, or 304 (not modified) with none."""

    url: str  # after redirects
    status: int
    data: bytes
    headers: Mapping[str, str]

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers.items() if key.lower() == name.lower()), None)


class FetchError(Exception):
    """One URL could not be fetched; ``problem`` says why in words."""

    def __init__(self, url: str, problem: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {problem}")
        self.url = url
        self.problem = problem
        self.status = status  # the HTTP status that refused the URL, if any


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand a 3xx back to the caller, which checks each hop before following it."""

    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


class PoliteClient:
    """GETs one URL at a time under a :class:`FetchPolicy`; remembers robots.txt and the last request per host.

    ``clock`` and ``sleep`` are the time functions (tests may replace them).
    """

    def __init__(
        self,
        policy: FetchPolicy,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.policy = policy
        self._clock = clock
        self._sleep = sleep
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._opener = urllib.request.build_opener(_NoRedirects)

    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Response:
        """The answer for ``url`` after at most ``max_redirects`` redirects; raises :class:`FetchError`."""
        current = url
        for _ in range(self.policy.max_redirects + 1):
            self._check_allowed(current)
            response, location = self._request(current, headers or {})
            if location is None:
                return response
            current = urljoin(current, location)
        raise FetchError(url, f"more than {self.policy.max_redirects} redirects")

    # --- one request -------------------------------------------------------

    def _request(self, url: str, headers: Mapping[str, str]) -> tuple[Response, str | None]:
        """One GET: the response, and where a redirect points (None when it is the final answer)."""
        self._wait_turn(url)
        request = urllib.request.Request(url, headers={"User-Agent": self.policy.user_agent, **headers})
        try:
            with self._opener.open(request, timeout=self.policy.timeout) as answer:
                data = self._read_capped(url, answer, answer.headers)
                return Response(answer.geturl(), answer.status, data, dict(answer.headers.items())), None
        except urllib.error.HTTPError as error:
            return self._answer_of(url, error)
        except TimeoutError:
            raise self._timed_out(url) from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise self._timed_out(url) from None
            raise FetchError(url, f"cannot connect ({_reason(error.reason)})") from None
        except (HTTPException, OSError) as error:
            raise FetchError(url, f"connection failed ({_reason(error)})") from None

    def _timed_out(self, url: str) -> FetchError:
        return FetchError(url, f"no answer within {self.policy.timeout:g} s (timed out)")

    def _answer_of(self, url: str, error: urllib.error.HTTPError) -> tuple[Response, str | None]:
        """A status urllib raises for: 304 and redirects are answers, anything else a failure."""
        headers = dict(error.headers.items()) if error.headers else {}
        if error.code == 304:
            return Response(url, 304, b"", headers), None
        location = next((v for k, v in headers.items() if k.lower() == "location"), None)
        if error.code in (301, 302, 303, 307, 308) and location:
            return Response(url, error.code, b"", headers), location
        raise FetchError(url, f"HTTP {error.code} {error.reason}", status=error.code)

    def _read_capped(self, url: str, answer: IO[bytes], headers: Message) -> bytes:
        limit = self.policy.max_bytes
        declared = headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(url, f"response over the size limit ({declared} bytes > {limit})")
        chunks: list[bytes] = []
        size = 0
        while chunk := answer.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise FetchError(url, f"response over the size limit ({limit} bytes)")
            chunks.append(chunk)
        return b"".join(chunks)

    def _wait_turn(self, url: str) -> None:
        """Sleep until this host's next request is due, then note it as made now."""
        host = _origin(url)
        last = self._last_request.get(host)
        if last is not None:
            wait = last + self._delay_for(host) - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last_request[host] = self._clock()

    def _delay_for(self, host: str) -> float:
        robots = self._robots.get(host)
        crawl_delay = robots.crawl_delay(self.policy.user_agent) if robots is not None else None
        return max(self.policy.delay, float(crawl_delay or 0))

    # --- robots.txt ----------------------------------------------------------

    def _check_allowed(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in SCHEMES or not parts.hostname:
            raise FetchError(url, f"only http and https URLs are fetched (got {parts.scheme or 'no'} scheme)")
        host = _origin(url)
        if host not in self._robots:
            self._robots[host] = self._load_robots(host)
        robots = self._robots[host]
        if robots is None:
            raise FetchError(url, f"robots.txt of {host} cannot be read (server error); not fetched")
        if not robots.can_fetch(self.policy.user_agent, url):
            raise FetchError(url, "disallowed by the site's robots.txt")

    def _load_robots(self, host: str) -> urllib.robotparser.RobotFileParser | None:
        """The host's rules; a missing file allows everything, an unreadable one (None) nothing."""
        robots = urllib.robotparser.RobotFileParser(f"{host}/robots.txt")
        try:
            response, location = self._request(f"{host}/robots.txt", {})
        except FetchError as error:
            if error.status is not None and 400 <= error.status < 500:
                robots.parse([])
                return robots
            return None
        if location is not None:  # a robots.txt that redirects: read as missing, so allowed
            robots.parse([])
            return robots
        robots.parse(response.data.decode("utf-8", errors="replace").splitlines())
        return robots


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _reason(reason: object) -> str:
    text = str(reason)
    return text if text else type(reason).__name__
