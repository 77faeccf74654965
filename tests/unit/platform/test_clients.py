"""Who the client is: the TCP peer, or what a configured proxy says it forwarded for."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Request

from ila_register.platform.clients import client_address, trusted_networks
from ila_register.platform.registry import Registry
from ila_register.settings import Settings


class _App:
    def __init__(self, trusted: tuple[str, ...]) -> None:
        http = type("Http", (), {"trusted_proxies": trusted})()
        settings = type("Settings", (), {"http": http})()
        self.state = type("State", (), {"registry": Registry().add(Settings, settings)})()


def _request(peer: str | None, trusted: tuple[str, ...] = (), forwarded: str | None = None) -> Request[Any, Any, Any]:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded is not None else []
    scope: dict[str, Any] = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "headers": headers,
        "query_string": b"",
        "client": (peer, 50000) if peer else None,
        "litestar_app": _App(trusted),
    }
    return Request(scope)  # type: ignore[arg-type]


def test_without_trusted_proxies_the_peer_is_the_client_whatever_it_forwards() -> None:
    assert client_address(_request("198.51.100.7", forwarded="203.0.113.9")) == "198.51.100.7"


def test_a_trusted_proxy_names_the_client() -> None:
    request = _request("10.0.0.5", ("10.0.0.0/8",), forwarded="203.0.113.9")
    assert client_address(request) == "203.0.113.9"


def test_the_first_untrusted_hop_from_the_right_is_the_client() -> None:
    # the client wrote a fake first entry; the proxies each appended the address they saw
    request = _request("10.0.0.5", ("10.0.0.0/8", "192.0.2.1"), forwarded="1.1.1.1, 203.0.113.9, 192.0.2.1, 10.0.0.7")
    assert client_address(request) == "203.0.113.9"


def test_an_untrusted_peer_cannot_claim_to_be_a_proxy() -> None:
    request = _request("198.51.100.7", ("10.0.0.0/8",), forwarded="10.0.0.1")
    assert client_address(request) == "198.51.100.7"


def test_a_trusted_proxy_without_the_header_is_the_client() -> None:
    assert client_address(_request("10.0.0.5", ("10.0.0.0/8",))) == "10.0.0.5"
    assert client_address(_request("10.0.0.5", ("10.0.0.0/8",), forwarded=" , ")) == "10.0.0.5"


def test_ipv6_and_unknown_peers() -> None:
    assert client_address(_request("2001:db8::1", ("2001:db8::/32",), forwarded="2001:db8:ffff::9, 2001:db8::2")) == (
        "2001:db8:ffff::9"
    )
    assert client_address(_request(None)) == "unknown"


def test_the_setting_refuses_what_is_not_an_address() -> None:
    assert trusted_networks(("10.0.0.1", "172.16.0.0/12")) is not None
    with pytest.raises(ValueError, match="ILA_TRUSTED_PROXIES"):
        trusted_networks(("proxy.example",))
