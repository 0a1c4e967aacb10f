"""A tripwire for tests that touch the network: any connection or name lookup that could leave this machine fails.

Tests of the policy fetcher use a local server only; they also check that hostile URLs (10.x, the metadata
address) are refused before any packet is sent. Should the guard ever regress, this fixture turns the would-be
packet into a test failure instead of a request to a real network. Import ``loopback_only`` into a test module to
make it apply to every test there.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator

import pytest


class LeftTheMachine(BaseException):
    """Not an OSError (nor any Exception), so the code under test cannot mistake it for a network failure."""


def _is_loopback(host: object) -> bool:
    try:
        return ipaddress.ip_address(str(host).split("%", 1)[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(sock: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(host):
            raise LeftTheMachine(f"a test tried to connect to {address!r}")
        real_connect(sock, address)

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> list:
        if host not in (None, "localhost"):
            try:  # numeric forms (127.0.0.1, 2130706433, ::1) never reach a DNS server
                real_getaddrinfo(host, None, flags=socket.AI_NUMERICHOST)
            except socket.gaierror:
                raise LeftTheMachine(f"a test tried to look up the name {host!r}") from None
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield
