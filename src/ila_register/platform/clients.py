"""Who is calling: the one place that decides a client's address (rate limits, logs).

The TCP peer is the client, unless the peer is one of the proxies named in
``ILA_TRUSTED_PROXIES`` (IP addresses or CIDR networks; none by default). Only then is
``X-Forwarded-For`` read, from the right: each trusted proxy appended the address it saw, so the
first address that is not a trusted proxy is the client. Anything further left was written by
the client itself and is never believed; a header from an untrusted peer is ignored entirely.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ila_register.platform.registry import registry_of
from ila_register.settings import Settings

if TYPE_CHECKING:
    from litestar import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
UNKNOWN = "unknown"


@lru_cache(maxsize=8)
def trusted_networks(proxies: Iterable[str]) -> tuple[Network, ...]:
    """The configured proxies as networks (a single address is a /32 or /128)."""
    networks = []
    for proxy in proxies:
        try:
            networks.append(ipaddress.ip_network(proxy.strip(), strict=False))
        except ValueError:
            raise ValueError(f"ILA_TRUSTED_PROXIES: {proxy!r} is not an IP address or CIDR network") from None
    return tuple(networks)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: Request[Any, Any, Any]) -> str:
    """The caller's address: the peer, or the client a trusted proxy forwarded for."""
    peer = request.client.host if request.client else UNKNOWN
    networks = trusted_networks(tuple(registry_of(request.app.state).get(Settings).http.trusted_proxies))
    if not networks or not _is_trusted(peer, networks):
        return peer
    hops = [hop.strip() for hop in ",".join(request.headers.getall("x-forwarded-for", [])).split(",")]
    address = peer
    for hop in reversed([h for h in hops if h]):
        address = hop
        if not _is_trusted(hop, networks):
            break
    return address
