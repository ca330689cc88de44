"""What ``serve`` and the room's web server (``web/server.py``) both need: which hosts only this machine
reaches, how a URL names a host and port, and the name their messages start with."""

from __future__ import annotations

import ipaddress

PROG = "atelier-timer serve"


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach ``host`` (``localhost``, ``127.x.y.z``, ``::1``)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_of(host: str, port: int) -> str:
    host = host.strip("[]")
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"
