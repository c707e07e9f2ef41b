"""The development SMTP server: stores each message as an `.eml` file.

Run with `python -m tanggap.smtp_sink --port 8025 --directory var/outbox/mail`.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import uuid
from datetime import datetime, timezone
from email import message_from_bytes
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session, SMTP

log = logging.getLogger(__name__)


class MaildirHandler:
    """Write each accepted message to `<directory>/<utc-time>-<uuid>.eml`, atomically."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        name = f"{stamp}-{uuid.uuid4().hex}.eml"
        temporary = self.directory / f".{name}.tmp"
        temporary.write_bytes(content)
        os.replace(temporary, self.directory / name)
        message_id = message_from_bytes(content).get("Message-ID", "")
        log.info("Mail stored.", extra={"file": name, "recipients": len(envelope.rcpt_tos), "message_id": message_id})
        return "250 Message accepted for delivery"


def start_sink(directory: Path, port: int, host: str = "127.0.0.1") -> Controller:
    """Start the SMTP server in a background thread and return its controller."""
    controller = Controller(MaildirHandler(directory), hostname=host, port=port)
    controller.start()
    return controller


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Local SMTP server that stores messages as .eml files.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8025, help="port to listen on")
    parser.add_argument("--directory", type=Path, default=Path("var/outbox/mail"), help="folder for the .eml files")
    args = parser.parse_args(argv)

    from shared.logs import configure_logging

    configure_logging("smtp-sink")
    controller = start_sink(args.directory, args.port, args.host)
    log.info("SMTP sink started.", extra={"port": args.port, "directory": str(args.directory)})

    async def wait_for_signal() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()

    asyncio.run(wait_for_signal())
    controller.stop()
    log.info("SMTP sink stopped.", extra={"port": args.port})




if __name__ == "__main__":
    main()
