"""Build the providers that the settings name: the SMTP server and the SMS chain with its fallback."""

from __future__ import annotations

from email.message import EmailMessage

import httpx

from services.notifier.providers.base import Provider, SmsMessage
from services.notifier.providers.http_gateway import HttpSmsGateway
from services.notifier.providers.outbox import OutboxSms
from services.notifier.providers.smtp import SmtpProvider
from services.notifier.providers.twilio import TwilioSms
from shared.settings import Settings


def build_sms_provider(name: str, settings: Settings, client: httpx.AsyncClient) -> Provider[SmsMessage]:
    if name == "outbox":
        return OutboxSms(settings)
    if name == "http":
        return HttpSmsGateway(settings, client)
    if name == "twilio":
        return TwilioSms(settings, client)
    raise ValueError(f"SMS provider {name!r} is unknown; use outbox, http or twilio")


def sms_chain(settings: Settings, client: httpx.AsyncClient) -> list[Provider[SmsMessage]]:
    """Return the primary SMS provider, then the fallback when one is set and differs from it."""
    chain = [build_sms_provider(settings.sms_provider, settings, client)]
    fallback = settings.sms_fallback_provider
    if fallback and fallback != settings.sms_provider:
        chain.append(build_sms_provider(fallback, settings, client))
    return chain


def email_chain(settings: Settings) -> list[Provider[EmailMessage]]:
    return [SmtpProvider(settings)]


def rate_limits_per_second(settings: Settings) -> dict[str, int]:
    """Return each provider's sends per second: SMTP has its own limit, every SMS provider the SMS one."""
    return {
        SmtpProvider.name: settings.smtp_rate_limit,
        OutboxSms.name: settings.sms_rate_limit,
        HttpSmsGateway.name: settings.sms_rate_limit,
        TwilioSms.name: settings.sms_rate_limit,
    }
