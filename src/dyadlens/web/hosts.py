"""Which ``Host`` headers the web UI answers: the guard against DNS rebinding.

A web page the analyst visits can point its own domain at 127.0.0.1 (DNS
rebinding); the browser then sends that page's requests to ``dyadlens
serve`` with ``Host: evil.example`` and lets the page read the answers, so it
could read the whole store through ``/api/``. The server therefore answers
only to the names it was started under, which never include the attacker's
domain:

* the host it is bound to (``--host``), unless that is an all-interfaces
  address (``0.0.0.0``, ``::``, empty);
* ``localhost``, ``127.0.0.1`` and ``[::1]`` when bound to loopback or to
  all interfaces (both can be reached through loopback);
* every ``--allow-host NAME``; ``--allow-host '*'`` turns the check off.

Each name is accepted bare or followed by the port the server listens on.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]"})
ANY_HOST = "*"
#: ``name[:port]`` with the name lower-cased; IPv6 literals come in brackets.
_HOST_HEADER = re.compile(r"(\[[0-9a-f:.]+\]|[^:\[\]/@\s]+)(?::([0-9]{1,5}))?")


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` keeps the server on this machine."""
    address = _address(host)
    return host.lower() == "localhost" if address is None else address.is_loopback


def is_all_interfaces(host: str) -> bool:
    """Whether binding ``host`` listens on every interface (``0.0.0.0``, ``::`` or empty)."""
    address = _address(host)
    return host == "" or (address is not None and address.is_unspecified)


def host_name(host: str) -> str:
    """``host`` as a browser's Host header names it: lower case, IPv6 literals compressed and in brackets."""
    address = _address(host)
    if address is None:
        return host.lower()
    return f"[{address.compressed}]" if address.version == 6 else address.compressed


def _allowed_name(name: str) -> str:
    """An ``--allow-host`` name in Host-header form; ValueError for one with a port or a stray character."""
    normalised = host_name(name)
    match = _HOST_HEADER.fullmatch(normalised)
    if match is None or match.group(2) is not None:
        raise ValueError(f"not a host name (give it without a port): {name!r}")
    return normalised


@dataclass(frozen=True, slots=True)
class HostPolicy:
    """The host names a server answers to (``any_host``: every name)."""

    names: frozenset[str]
    any_host: bool = False

    @classmethod
    def for_bind(cls, host: str, allow: Iterable[str] = ()) -> HostPolicy:
        """The names for a server bound to ``host``, plus the user's ``allow`` list (ValueError for a bad name)."""
        allowed = set(allow)
        names = {_allowed_name(name) for name in allowed - {ANY_HOST}}
        if is_loopback(host) or is_all_interfaces(host):
            names |= LOOPBACK_NAMES
        if not is_all_interfaces(host):
            names.add(host_name(host))
        return cls(frozenset(names), ANY_HOST in allowed)

    def admits(self, header: str | None, port: str | None) -> bool:
        """Whether a request with ``Host: header`` reached a server on ``port`` by a name of ours."""
        if self.any_host:
            return True
        match = _HOST_HEADER.fullmatch((header or "").strip().lower())
        if match is None:
            return False
        name, given_port = match.groups()
        return name in self.names and given_port in (None, port)


#: What a :class:`~dyadlens.web.app.WebApp` answers to unless told otherwise.
LOCAL_ONLY = HostPolicy.for_bind("127.0.0.1")


def network_warning(host: str, port: int, policy: HostPolicy) -> str | None:
    """The warning ``dyadlens serve`` prints when ``host`` is reachable from the network, else None."""
    if is_loopback(host):
        return None
    if policy.any_host:
        names = "any name (--allow-host '*'), so web pages you visit can read it too"
    else:
        names = ", ".join(sorted(policy.names)) + " (add more with --allow-host NAME)"
    return (
        f"warning: --host {host or '(all interfaces)'} is not loopback: anyone who can reach this machine on "
        f"port {port} can read the whole store.\nRequests are answered for Host: {names}."
    )
