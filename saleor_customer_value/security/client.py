"""The client's IP address, for rate limits.

``REMOTE_ADDR`` is the peer that connected. Behind a reverse proxy or load balancer that
is the proxy, so every shopper would share one address; the proxy tells the real client
in ``X-Forwarded-For``. That header is written by whoever sends the request, so it is
believed only when the peer is one of ``CUSTOMER_VALUE_TRUSTED_PROXIES`` (Django
settings: addresses or networks, e.g. ``["10.0.0.0/8", "127.0.0.1"]``; empty by
default: the header is ignored). The header is read from the right: the first address
that is not a trusted proxy is the client.
"""
import ipaddress
from functools import lru_cache
from typing import Tuple

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: Tuple[str, ...]):
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def trusted_networks():
    proxies = getattr(settings, "CUSTOMER_VALUE_TRUSTED_PROXIES", None) or ()
    if isinstance(proxies, str):
        proxies = proxies.split(",")
    return _networks(tuple(proxies))


def _parse(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return any(address in network for network in networks)


def client_ip(request) -> str:
    peer = _parse(request.META.get("REMOTE_ADDR", "") or "")
    if peer is None:
        return ""
    networks = trusted_networks()
    if not networks or not _trusted(peer, networks):
        return str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") or ""
    client = peer
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        address = _parse(hop)
        if address is None:
            break  # garbage: stop at the last address a trusted proxy vouched for
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
