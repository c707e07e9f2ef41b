"""Check, before anything starts, that every port the stack will listen on is free."""

from __future__ import annotations

import socket
from dataclasses import dataclass


@dataclass(frozen=True)
class PortClaim:
    """A port one part of the stack will listen on, and the setting that moves it."""

    owner: str
    host: str
    port: int
    setting: str


class PortInUse(RuntimeError):
    """A port the stack needs is taken; the message names it, its owner and the fix."""

    def __init__(self, claim: PortClaim, leftover_pid: int | None = None) -> None:
        message = f"port {claim.port} on {claim.host} ({claim.owner}) is already in use; "
        if leftover_pid is not None:
            message += (
                f"an earlier `tanggap run` left its {claim.owner} process running as pid {leftover_pid}: "
                f"stop it with `kill {leftover_pid}`, or set {claim.setting} to a free port"
            )
        else:
            message += (
                f"stop the program listening there (`ss -ltnp 'sport = :{claim.port}'` names it) "
                f"or set {claim.setting} to a free port"
            )
        super().__init__(message)
        self.claim = claim


def port_is_free(host: str, port: int) -> bool:
    """Return whether a listening socket could bind `host:port` now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        # SO_REUSEADDR ignores sockets in TIME_WAIT, which would not stop the server either.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def first_taken(claims: list[PortClaim]) -> PortClaim | None:
    for claim in claims:
        if not port_is_free(claim.host, claim.port):
            return claim
    return None
