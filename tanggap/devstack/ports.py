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
    """Ports the stack needs are taken; the message names each one, its owner and the setting that moves it."""

    def __init__(self, taken: list[tuple[PortClaim, int | None]]) -> None:
        heading = "this port is" if len(taken) == 1 else f"these {len(taken)} ports are"
        lines = [f"{heading} already in use, so nothing was started:"]
        for claim, leftover_pid in taken:
            lines.append(f"  {describe_taken(claim, leftover_pid)}")
        settings = " ".join(f"{claim.setting}=PORT" for claim, _ in taken)
        lines.append(f"Stop what listens there, or choose free ports: `{settings} make run`.")
        super().__init__("\n".join(lines))
        self.claims = [claim for claim, _ in taken]


def describe_taken(claim: PortClaim, leftover_pid: int | None) -> str:
    where = f"port {claim.port} on {claim.host} ({claim.owner}, {claim.setting})"
    if leftover_pid is not None:
        return (
            f"{where}: an earlier `tanggap run` left its {claim.owner} process running as pid {leftover_pid}; "
            f"stop it with `kill {leftover_pid}`"
        )
    return f"{where}: `ss -ltnp 'sport = :{claim.port}'` names the program listening there"


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


def taken_claims(claims: list[PortClaim]) -> list[PortClaim]:
    """Return every claim whose port is taken now, so that one message can name them all."""
    return [claim for claim in claims if not port_is_free(claim.host, claim.port)]
