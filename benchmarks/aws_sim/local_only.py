"""Run a console program with the network confined to this machine.

    python local_only.py prowler.__main__:prowler aws --services sagemaker ...

Every name lookup answers 127.0.0.1 whatever the name (botocore builds
`<account>.127.0.0.1` hosts for S3 Control when AWS_ENDPOINT_URL is set, and a tool
may ask for a service's public host name, the instance metadata service or an update
check), and a connection to any address that is not a loopback one is refused before
a packet is sent. Standalone: it runs under another program's interpreter (Prowler's
own virtual environment), so it imports nothing of mlwarden.
"""
from __future__ import annotations

import importlib
import ipaddress
import socket
import sys

_getaddrinfo = socket.getaddrinfo
_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex


def _local_getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    return _getaddrinfo("127.0.0.1", port, socket.AF_INET, type, proto, flags)


def _local_name(name):
    return "127.0.0.1"


def _local_address(address):
    """`address` if it is a loopback one; a name becomes 127.0.0.1 (connect() would
    otherwise resolve it in C, past the lookup above); anything else is refused."""
    if not isinstance(address, tuple):   # a Unix socket: not the network
        return address
    host = address[0]
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        return ("127.0.0.1", *address[1:])
    if not loopback:
        raise ConnectionRefusedError(f"local_only: refused a connection to {host} (not 127.0.0.1)")
    return address


def _guarded_connect(self, address):
    return _connect(self, _local_address(address))


def _guarded_connect_ex(self, address):
    return _connect_ex(self, _local_address(address))


def confine() -> None:
    socket.getaddrinfo = _local_getaddrinfo
    socket.gethostbyname = _local_name
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex


def main(argv: list[str]) -> int:
    if not argv or ":" not in argv[0]:
        print("usage: local_only.py module:function [args...]", file=sys.stderr)
        return 2
    module, _, function = argv[0].partition(":")
    confine()
    entry = getattr(importlib.import_module(module), function)
    sys.argv = [module.split(".")[0], *argv[1:]]
    result = entry()
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
