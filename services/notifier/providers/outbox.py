"""The development SMS provider: one JSON object per message, appended to `var/outbox/sms.jsonl`.

Each line has at least `to` (E.164), `text`, `notification_id` and
`sent_at`. Several worker processes may write at once, so each line is
written under an exclusive `flock`, with one `write` on a file opened for
appending, and synced to disk before the send counts as done.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import threading
import uuid
from pathlib import Path

from services.notifier.errors import TransientDeliveryError
from services.notifier.providers.base import Provider, Receipt, SmsMessage
from shared.settings import Settings
from shared.timeutil import clock

OUTBOX_FILE = "sms.jsonl"


class OutboxSms(Provider[SmsMessage]):
    name = "outbox"

    def __init__(self, settings: Settings) -> None:
        self.path: Path = settings.outbox_dir / OUTBOX_FILE
        # flock excludes other processes; this lock keeps this process's threads in line too.
        self._lock = threading.Lock()

    async def send(self, message: SmsMessage) -> Receipt:
        message_id = f"outbox-{uuid.uuid4().hex}"
        entry = {
            "to": message.to,
            "text": message.text,
            "notification_id": message.notification_id,
            "sent_at": clock.now().isoformat(),
            "message_id": message_id,
            "encoding": message.sms.encoding,
            "segments": message.sms.segments,
        }
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            await asyncio.to_thread(self._append, line)
        except OSError as exc:
            raise TransientDeliveryError(f"SMS outbox {self.path} is not writable: {exc}", code="outbox_unwritable", provider=self.name) from exc
        return Receipt(provider=self.name, message_id=message_id, detail=str(self.path))

    def _append(self, line: bytes) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX)
                written = 0
                while written < len(line):
                    written += os.write(descriptor, line[written:])
                os.fsync(descriptor)
            finally:
                os.close(descriptor)  # closing releases the flock
