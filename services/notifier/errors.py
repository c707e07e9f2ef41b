"""How a delivery can fail, as the providers report it to the delivery logic.

    DeliveryError
    ├── TransientDeliveryError   retried with exponential backoff: timeouts,
    │                            5xx responses, SMTP 4xx replies, dropped
    │                            connections, HTTP 429
    └── PermanentDeliveryError   recorded as failed at once: an invalid number
        │                        or address, SMTP 5xx replies, a provider's 4xx
        └── RenderError          a template that cannot be rendered from the
                                 document's context

Each error carries a stable `code` that the document stores, so officials'
screens can explain a failure in their own language, and the provider's own
status code when there is one. Providers translate the errors of their
client library (aiosmtplib, httpx) into these at one place each.
"""

from __future__ import annotations


class DeliveryError(Exception):
    """A notification could not be handed to a provider."""

    transient = False

    def __init__(self, message: str, *, code: str, provider: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.provider = provider
        self.status = status

    def to_doc(self) -> dict[str, object]:
        """Return the error as stored on the notification and its attempts."""
        return {"code": self.code, "message": str(self), "status": self.status, "transient": self.transient}


class TransientDeliveryError(DeliveryError):
    """The provider may accept the same message later."""

    transient = True


class PermanentDeliveryError(DeliveryError):
    """Sending the same message again cannot succeed."""


class RenderError(PermanentDeliveryError):
    """A template failed on the document's context."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="render_failed")
