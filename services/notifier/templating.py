"""The one Jinja2 environment of the notifier, and how a template is named and rendered.

Templates live in `templates/`, one per event, channel and locale:
`sms/<locale>/<event>.jinja`, `email_text/<locale>/<event>.jinja` (which
also sets the subject) and `email_html/<locale>/<event>.jinja`. Every
template under `email_html/` is autoescaped whatever its file name ends
with, and a missing variable is an error rather than an empty string.
Citizens' text only ever reaches a template as a variable, never as
template source.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment, FileSystemLoader, StrictUndefined, Undefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from services.notifier import locale_format

TEMPLATE_DIR = Path(__file__).parent / "templates"

HTML_FOLDER = "email_html/"
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".xml")


def is_html_template(name: str | None) -> bool:
    """Return True for every HTML template: those under `email_html/` and any file with an HTML suffix."""
    if name is None:
        return False
    return name.startswith(HTML_FOLDER) or name.lower().endswith(HTML_SUFFIXES)


def build_environment(loader: BaseLoader | None = None) -> Environment:
    """Build the environment; tests pass their own loader to check how names are escaped."""
    environment = Environment(
        loader=loader or FileSystemLoader(TEMPLATE_DIR),
        autoescape=is_html_template,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    environment.filters.update(
        when=_when,
        when_short=_when_short,
        percent=_percent,
        status_label=_status_label,
        clock_label=_clock_label,
        role_label=_role_label,
        stage_label=_stage_label,
        paragraphs=paragraphs,
    )
    return environment


def template_name(kind: str, locale: str, event: str) -> str:
    """Return e.g. `email_html/id/complaint_received.jinja`; `kind` is sms, email_text or email_html."""
    return f"{kind}/{locale}/{event}.jinja"


def paragraphs(text: str | None) -> Markup:
    """Escape `text` and keep its line breaks as `<br>`, for citizens' and officials' free text in HTML."""
    if not text:
        return Markup("")
    return Markup("<br>\n").join(escape(line) for line in str(text).splitlines())


def _defined(value: Any) -> Any:
    """Return `value`; a missing variable reaches a filter as Undefined, and StrictUndefined raises on str()."""
    if isinstance(value, Undefined):
        str(value)
    return value


@pass_context
def _when(context: Context, value: str) -> str:
    return locale_format.format_datetime(_defined(value), context["timezone"], context["locale"])


@pass_context
def _when_short(context: Context, value: str) -> str:
    return locale_format.format_datetime_short(_defined(value), context["timezone"], context["locale"])


@pass_context
def _percent(context: Context, value: Any) -> str:
    return locale_format.format_percent(_defined(value), context["locale"])


@pass_context
def _status_label(context: Context, value: str) -> str:
    return locale_format.status_label(_defined(value), context["locale"])


@pass_context
def _clock_label(context: Context, value: str) -> str:
    return locale_format.clock_label(_defined(value), context["locale"])


@pass_context
def _role_label(context: Context, value: str | None) -> str:
    return locale_format.role_label(_defined(value), context["locale"])


@pass_context
def _stage_label(context: Context, value: str) -> str:
    return locale_format.stage_label(_defined(value), context["locale"])
