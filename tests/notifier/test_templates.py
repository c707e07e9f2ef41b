"""Templates: every event and locale renders, HTML is always escaped, citizens' text stays text."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from jinja2 import DictLoader

from services.notifier.compose import compose_email, compose_sms
from services.notifier.errors import PermanentDeliveryError, RenderError
from services.notifier.rendering import render_email, render_sms
from services.notifier.templating import TEMPLATE_DIR, build_environment, is_html_template
from shared.notify import events
from shared.settings import Settings

from .samples import notification, sample_context

LOCALES = ("id", "en")
INJECTION = '<script>alert("x")</script><img src=x onerror=alert(1)> {{ 7*7 }} {% if true %}IF{% endif %}'


@pytest.fixture(scope="module")
def environment() -> Any:
    return build_environment()


@pytest.fixture
def plain_settings(tmp_path: Any) -> Settings:
    return Settings(environment="test", var_dir=tmp_path)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("event", sorted(events.ALL_EVENTS))
def test_every_event_renders_from_its_documented_keys(environment: Any, event: str, locale: str) -> None:
    context = sample_context(event)
    assert set(context) == events.context_keys(event)

    email = render_email(environment, notification(event, locale=locale, context=context))
    sms = render_sms(environment, notification(event, locale=locale, context=context))

    assert context["ticketNumber"] in email.subject or context["ticketNumber"] in email.text
    assert context["ticketNumber"] in email.text
    assert context["ticketNumber"] in email.html
    assert context["ticketNumber"] in sms
    assert "\n" not in email.subject
    assert email.html.lstrip().startswith("<!DOCTYPE html>")
    assert f'<html lang="{locale}">' in email.html


@pytest.mark.parametrize("kind", ["sms", "email_text", "email_html"])
def test_one_template_per_event_channel_and_locale(kind: str) -> None:
    for locale in LOCALES:
        names = {path.stem for path in (TEMPLATE_DIR / kind / locale).glob("*.jinja") if not path.stem.startswith("_")}
        assert names == set(events.ALL_EVENTS)


@pytest.mark.parametrize("event", sorted(events.ALL_EVENTS))
def test_missing_context_key_fails_rendering(environment: Any, event: str) -> None:
    context = sample_context(event)
    key = sorted(events.EVENT_CONTEXT_KEYS[event])[0]
    del context[key]

    with pytest.raises(RenderError):
        render_email(environment, notification(event, context=context))


def test_indonesian_mail_polite_and_dated(environment: Any) -> None:
    email = render_email(environment, notification(events.COMPLAINT_RECEIVED, locale="id", name="Siti Aminah"))

    assert email.text.startswith("Yth. Bapak/Ibu Siti Aminah,")
    assert "Terima kasih atas laporan Anda." in email.text
    assert "Senin, 7 Desember 2026 pukul 16.00 WITA" in email.text
    assert "Jumat, 11 Desember 2026 pukul 16.00 WITA" in email.text
    assert "Hormat kami," in email.text


def test_dates_are_shown_in_the_context_timezone(environment: Any) -> None:
    # 08:00 UTC is 16:00 in Makassar (WITA) and 15:00 in Jakarta (WIB).
    context = sample_context(events.COMPLAINT_RECEIVED, responseDueAt="2026-12-07T08:00:00+00:00", timezone="Asia/Jakarta")

    email = render_email(environment, notification(events.COMPLAINT_RECEIVED, context=context))

    assert "Senin, 7 Desember 2026 pukul 15.00 WIB" in email.text


def test_english_dates_read_in_english(environment: Any) -> None:
    email = render_email(environment, notification(events.COMPLAINT_RECEIVED, locale="en", name=None))

    assert email.text.startswith("Dear Sir or Madam,")
    assert "Monday, 7 December 2026 at 16:00 WITA" in email.text


def test_unknown_locale_falls_back_to_indonesian(environment: Any) -> None:
    email = render_email(environment, notification(events.COMPLAINT_CLOSED, locale="fr"))

    assert email.text.startswith("Yth. Bapak/Ibu")


def test_naive_date_in_context_fails_rendering(environment: Any) -> None:
    context = sample_context(events.COMPLAINT_RECEIVED, responseDueAt="2026-12-07T16:00:00")

    with pytest.raises(RenderError, match="no UTC offset"):
        render_email(environment, notification(events.COMPLAINT_RECEIVED, context=context))


def test_sla_alert_names_clock_stage_and_ratio(environment: Any) -> None:
    email = render_email(environment, notification(events.SLA_WARNING, locale="id"))
    sms = render_sms(environment, notification(events.SLA_WARNING, locale="id"))

    assert "waktu tanggapan" in email.text
    assert "75%" in email.text
    assert "peringatan 75%" in email.text
    assert "Senin, 7 Desember 2026 pukul 16.00 WITA" in email.text
    assert "7 Des 2026 16.00 WITA" in sms


@pytest.mark.parametrize(
    ("name", "escaped"),
    [
        ("email_html/id/complaint_received.jinja", True),
        ("email_html/_base.jinja", True),
        ("email_html/en/odd-name.txt", True),
        ("email_html/no_suffix", True),
        ("other/page.html", True),
        ("other/page.HTM", True),
        ("email_text/id/complaint_received.jinja", False),
        ("sms/id/complaint_received.jinja", False),
        (None, False),
    ],
)
def test_autoescape_follows_the_html_folder_not_the_suffix(name: str | None, escaped: bool) -> None:
    assert is_html_template(name) is escaped


def test_html_template_with_text_suffix_is_escaped() -> None:
    environment = build_environment(
        DictLoader({"email_html/note.txt": "<p>{{ note }}</p>", "email_text/note.txt": "{{ note }}"})
    )

    html = environment.get_template("email_html/note.txt").render(note="<b>tebal</b>")
    text = environment.get_template("email_text/note.txt").render(note="<b>tebal</b>")

    assert html == "<p>&lt;b&gt;tebal&lt;/b&gt;</p>"
    assert text == "<b>tebal</b>"


@pytest.mark.parametrize("event", [events.PUBLIC_REPLY, events.STATUS_CHANGED, events.NEW_COMPLAINT, events.REPORTER_REPLIED])
def test_citizen_text_cannot_inject_markup(environment: Any, event: str) -> None:
    context = sample_context(event, title=INJECTION)
    for key in ("body", "note"):
        if key in context:
            context[key] = INJECTION + "\nbaris kedua"

    email = render_email(environment, notification(event, context=context, name='Siti <b>"x"</b>'))

    assert "<script>" not in email.html
    assert "<img" not in email.html
    assert "<b>" not in email.html
    assert "&lt;script&gt;" in email.html
    # Template syntax in a citizen's text is shown as typed, never evaluated.
    assert "{{ 7*7 }}" in email.text
    assert "49" not in email.text
    assert "IF" not in email.text.replace("{% if true %}IF{% endif %}", "")
    assert "{{ 7*7 }}" in email.html


def test_multiline_note_keeps_breaks_but_no_markup(environment: Any) -> None:
    context = sample_context(events.INFO_REQUESTED, note="Baris satu <i>\nBaris dua")

    email = render_email(environment, notification(events.INFO_REQUESTED, context=context))

    assert "Baris satu &lt;i&gt;<br>\nBaris dua" in email.html


def test_email_multipart_without_header_injection(environment: Any, plain_settings: Settings) -> None:
    document = notification(
        events.NEW_COMPLAINT,
        name="Andi\r\nBcc: korban@example.org",
        context=sample_context(events.NEW_COMPLAINT, title="Judul\r\nBcc: korban@example.org"),
    )

    message = compose_email(environment, plain_settings, document)
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)

    assert parsed.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert parsed["Message-ID"] == f"<{document['_id']}@tanggap.example>"
    assert parsed["Date"]
    assert parsed["Bcc"] is None
    assert "\n" not in str(parsed["Subject"])
    assert parsed["To"].addresses[0].addr_spec == document["address"]


def test_invalid_email_address_fails_permanently(environment: Any, plain_settings: Settings) -> None:
    document = notification(events.COMPLAINT_CLOSED, address="bukan alamat")

    with pytest.raises(PermanentDeliveryError) as caught:
        compose_email(environment, plain_settings, document)

    assert caught.value.code == "invalid_address"


def test_sms_uses_e164_and_fits_the_segment_budget(environment: Any, plain_settings: Settings) -> None:
    long_reply = "Petugas kami sudah meninjau lokasi dan akan memperbaiki lampu. " * 10
    document = notification(
        events.PUBLIC_REPLY, channel="sms", address="0812-3456-7890", context=sample_context(events.PUBLIC_REPLY, body=long_reply)
    )

    sms = compose_sms(environment, plain_settings, document)

    assert sms.to == "+6281234567890"
    assert sms.sms.segments <= plain_settings.sms_max_segments
    assert sms.sms.encoding == "GSM-7"


def test_sms_to_impossible_number_fails_permanently(environment: Any, plain_settings: Settings) -> None:
    document = notification(events.COMPLAINT_CLOSED, channel="sms", address="0812")

    with pytest.raises(PermanentDeliveryError) as caught:
        compose_sms(environment, plain_settings, document)

    assert caught.value.code == "invalid_phone_number"
    assert "too short" in str(caught.value)
