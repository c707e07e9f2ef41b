"""The interface every provider implements, and the messages it sends.

A provider sends one message and returns a `Receipt`, or raises a
`TransientDeliveryError` or `PermanentDeliveryError` (see
`services.notifier.errors`). It never retries by itself: retries belong to
Dramatiq, so that every attempt is recorded on the notification.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Generic, TypeVar

from services.notifier.sms_text import SmsText


@dataclass(frozen=True)
class SmsMessage:
    notification_id: str
    to: str  # E.164, e.g. +6281234567890
    sms: SmsText

    @property
    def text(self) -> str:
        return self.sms.text


@dataclass(frozen=True)
class Receipt:
    """The provider's response: its id for the message and a short detail for the record."""

    provider: str
    message_id: str | None
    detail: str | None = None


MessageT = TypeVar("MessageT", SmsMessage, EmailMessage)


class Provider(ABC, Generic[MessageT]):
    """Sends one kind of message (SMS or e-mail) through one service."""

    name: str

    @abstractmethod
    async def send(self, message: MessageT) -> Receipt:
        """Send `message` once; raise a DeliveryError subclass on failure."""

    async def aclose(self) -> None:
        """Release connections and files; the default has nothing to release."""
