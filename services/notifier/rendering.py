"""Render a notification document into an e-mail (subject, text, HTML) or an SMS text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, TemplateError

from services.notifier.errors import RenderError
from services.notifier.locale_format import supported_locale
from services.notifier.templating import template_name

MAX_SUBJECT_LENGTH = 200


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def template_variables(notification: dict[str, Any]) -> dict[str, Any]:
    """Return the context of the document plus who it is for and in which language."""
    recipient = notification.get("recipient") or {}
    variables = dict(notification.get("context") or {})
    variables.update(
        locale=supported_locale(notification.get("locale")),
        audience=notification.get("audience"),
        recipientName=recipient.get("name"),
    )
    return variables


def render_email(environment: Environment, notification: dict[str, Any]) -> RenderedEmail:
    variables = template_variables(notification)
    locale = variables["locale"]
    event = notification["event"]
    try:
        text_module = environment.get_template(template_name("email_text", locale, event)).make_module(variables)
        html = environment.get_template(template_name("email_html", locale, event)).render(variables)
        subject = str(getattr(text_module, "subject"))
    except (TemplateError, ValueError, KeyError, AttributeError) as exc:
        raise RenderError(f"e-mail for event {event!r} in locale {locale!r} failed to render: {exc}") from exc
    return RenderedEmail(subject=one_line(subject), text=str(text_module).strip() + "\n", html=html)


def render_sms(environment: Environment, notification: dict[str, Any]) -> str:
    variables = template_variables(notification)
    locale = variables["locale"]
    event = notification["event"]
    try:
        text = environment.get_template(template_name("sms", locale, event)).render(variables)
    except (TemplateError, ValueError, KeyError) as exc:
        raise RenderError(f"SMS for event {event!r} in locale {locale!r} failed to render: {exc}") from exc
    return " ".join(text.split())


def one_line(text: str, limit: int = MAX_SUBJECT_LENGTH) -> str:
    """Collapse whitespace, line breaks included, so that citizens' text cannot add a header line."""
    collapsed = " ".join(text.split())
    if len(collapsed) <= limit:
        return collapsed
    return collapsed[: limit - 3].rstrip() + "..."
