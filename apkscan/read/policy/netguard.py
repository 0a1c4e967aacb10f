"""Which network addresses a policy fetch may reach: public unicast only.

A policy URL is chosen by the lender who built the APK. Fetched from a server, a URL naming ``127.0.0.1``, a
``10.x`` host, ``169.254.169.254`` (the cloud metadata service) or a name that resolves to one of them would make
the server call itself or its own network on the lender's behalf (server-side request forgery). So the fetcher
resolves the host itself, refuses every address below, and connects to the very address it checked -- no second
lookup that a DNS-rebinding name could answer differently.

The check is a table of named ranges (so that the refusal says *why*), backed by :attr:`ipaddress.IPv4Address.
is_global`, so a range missing from the table is still refused. IPv6 forms that carry an IPv4 address (mapped,
compatible, 6to4, NAT64) are judged by the IPv4 address they carry.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network

_RANGES: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/8", "an unspecified ('this network') address"),
    ("10.0.0.0/8", "a private address (RFC 1918)"),
    ("100.64.0.0/10", "a carrier-grade NAT address (RFC 6598)"),
    ("127.0.0.0/8", "a loopback address"),
    ("169.254.169.254/32", "the cloud metadata service (link-local)"),
    ("169.254.0.0/16", "a link-local address"),
    ("172.16.0.0/12", "a private address (RFC 1918)"),
    ("192.0.0.0/24", "an IETF protocol address (reserved)"),
    ("192.0.2.0/24", "a documentation address (reserved)"),
    ("192.88.99.0/24", "a 6to4 relay address (reserved)"),
    ("192.168.0.0/16", "a private address (RFC 1918)"),
    ("198.18.0.0/15", "a benchmarking address (reserved)"),
    ("198.51.100.0/24", "a documentation address (reserved)"),
    ("203.0.113.0/24", "a documentation address (reserved)"),
    ("224.0.0.0/4", "a multicast address"),
    ("240.0.0.0/4", "a reserved address"),
    ("::/128", "an unspecified address"),
    ("::1/128", "a loopback address"),
    ("64:ff9b:1::/48", "a local-use NAT64 address"),
    ("100::/64", "a discard-only address (reserved)"),
    ("2001:db8::/32", "a documentation address (reserved)"),
    ("fc00::/7", "a private address (IPv6 unique local)"),
    ("fe80::/10", "a link-local address"),
    ("fec0::/10", "a site-local address (deprecated, private)"),
    ("ff00::/8", "a multicast address"),
)
_NETWORKS: tuple[tuple[IPNetwork, str], ...] = tuple((ipaddress.ip_network(n), why) for n, why in _RANGES)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
_V4_COMPATIBLE = ipaddress.ip_network("::/96")


def parse_networks(values: Iterable[str | IPNetwork]) -> tuple[IPNetwork, ...]:
    """Operator allowances ("127.0.0.1/32", "10.0.0.0/8"); ValueError names a malformed entry."""
    return tuple(
        v if isinstance(v, IPv4Network | IPv6Network) else ipaddress.ip_network(v, strict=False) for v in values
    )


def embedded_ipv4(addr: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 form carries: mapped (::ffff:a.b.c.d), NAT64, 6to4, or deprecated compatible."""
    if addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    if addr.sixtofour is not None:
        return addr.sixtofour
    if addr in _NAT64 or (addr in _V4_COMPATIBLE and int(addr) > 1):
        return IPv4Address(int(addr) & 0xFFFFFFFF)
    return None


def refusal(addr: IPAddress, allowed: Iterable[IPNetwork] = ()) -> str | None:
    """Why ``addr`` must not be contacted ("a loopback address"), or None when it is a public unicast address.

    ``allowed`` networks are exempt (an operator's explicit allowance, e.g. a test server on 127.0.0.1); an
    IPv4-carrying IPv6 form is exempt only when the IPv4 address it carries is.
    """
    addr = ipaddress.ip_address(str(addr).split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    inner = embedded_ipv4(addr) if isinstance(addr, IPv6Address) else None
    allowed = tuple(allowed)
    if any(addr.version == net.version and addr in net for net in allowed):
        return None
    if isinstance(addr, IPv6Address) and inner is not None:
        why = refusal(inner, allowed)
        if why is not None:
            kind = "IPv4-mapped" if addr.ipv4_mapped is not None else "IPv4-embedding"
            return f"an {kind} form of {inner}, {why}"
        if addr.ipv4_mapped is not None or addr in _NAT64 or addr.sixtofour is not None:
            return None
    for net, why in _NETWORKS:
        if addr.version == net.version and addr in net:
            return why
    if not addr.is_global or addr.is_multicast:
        return "a reserved address"
    return None
