"""Which network addresses a platform request may go to (R52).

A shop address is typed in by whoever connects the store. Its host name may resolve to the back-office's
own machine or its private network (a request forgery: the back-office would send its credentials and
read answers from there), and DNS may change its answer after the store is connected. So a host name is
judged by every address it resolves to, both when the store is connected and when each connection is
opened. Demo and tests talk to fakes on 127.0.0.1 with ROAPP_ALLOW_INSECURE_PLATFORM_URLS on.
"""

import ipaddress
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def resolve(host: str) -> list[IPAddress]:
    """Every address `host` resolves to, in the resolver's order; OSError when it resolves to none."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), None, type=socket.SOCK_STREAM)
    except UnicodeError as exc:  # a label longer than 63 characters cannot be looked up
        raise socket.gaierror(str(exc)) from exc
    # An IPv6 link-local answer carries its zone ("fe80::1%eth0"); the zone is not part of the address.
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))


def is_public(address: IPAddress) -> bool:
    """False for private, loopback, link-local, reserved, multicast, unspecified and shared (CGNAT) addresses."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 reaches 127.0.0.1
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    )


def first_non_public(addresses: list[IPAddress]) -> IPAddress | None:
    """The first address a request must not go to, or None when all are public."""
    return next((address for address in addresses if not is_public(address)), None)
