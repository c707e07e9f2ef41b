"""Build the outgoing message of a notification document: an e-mail or an SMS.

Anything that makes the message impossible to build (a template that
fails on the context, an invalid address or phone number) is a permanent
failure: sending the same document again cannot fix it.
"""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

from jinja2 import Environment

from services.notifier.email_message import build_email
from services.notifier.errors import PermanentDeliveryError
from services.notifier.locale_format import supported_locale
from services.notifier.providers.base import SmsMessage
from services.notifier.rendering import render_email, render_sms
from services.notifier.sms_text import fit_sms
from shared.phone import InvalidPhoneNumberError, normalize_id_phone
from shared.settings import Settings
from shared.timeutil import clock


def compose_email(environment: Environment, settings: Settings, notification: dict[str, Any]) -> EmailMessage:
    rendered = render_email(environment, notification)
    return build_email(
        notification_id=str(notification["_id"]),
        address=notification["address"],
        name=(notification.get("recipient") or {}).get("name"),
        locale=supported_locale(notification.get("locale")),
        rendered=rendered,
        mail_from=settings.mail_from,
        now=clock.now(),
    )


def compose_sms(environment: Environment, settings: Settings, notification: dict[str, Any]) -> SmsMessage:
    try:
        to = normalize_id_phone(notification["address"])
    except InvalidPhoneNumberError as exc:
        raise PermanentDeliveryError(str(exc), code="invalid_phone_number") from exc
    text = render_sms(environment, notification)
    return SmsMessage(notification_id=str(notification["_id"]), to=to, sms=fit_sms(text, settings.sms_max_segments))
