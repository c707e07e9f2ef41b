"""The message officials get when the reporter reopens a resolved complaint."""

from __future__ import annotations

from typing import Any

import pytest

from services.notifier.compose import compose_sms
from services.notifier.rendering import render_email, render_sms
from services.notifier.templating import build_environment
from shared.notify import events
from shared.settings import Settings

from .samples import notification, sample_context

INJECTION = '<script>alert("x")</script> {{ 7*7 }}'


@pytest.fixture(scope="module")
def environment() -> Any:
    return build_environment()


def test_reopened_indonesian_names_reason_and_due(environment: Any) -> None:
    document = notification(events.COMPLAINT_REOPENED, locale="id", name="Andi Rahman")

    email = render_email(environment, document)
    sms = render_sms(environment, document)

    assert email.subject == "Laporan MKS-2026-000123 dibuka kembali oleh pelapor"
    assert email.text.startswith("Yth. Bapak/Ibu Andi Rahman,")
    assert "Lampu kembali padam sejak kemarin malam." in email.text
    assert "Batas waktu penyelesaian: Jumat, 11 Desember 2026 pukul 16.00 WITA" in email.text
    assert "Jumat, 11 Desember 2026 pukul 16.00 WITA" in email.html
    assert "konsol Tanggap" in email.text
    assert "11 Des 2026 16.00 WITA" in sms
    assert "Lampu kembali padam sejak kemarin malam." in sms


def test_reopened_english_reads_in_english(environment: Any) -> None:
    email = render_email(environment, notification(events.COMPLAINT_REOPENED, locale="en", name=None))

    assert email.subject == "Complaint MKS-2026-000123 reopened by the reporter"
    assert email.text.startswith("Dear Sir or Madam,")
    assert "Resolution due: Friday, 11 December 2026 at 16:00 WITA" in email.text


def test_reopened_without_reason_leaves_it_out(environment: Any) -> None:
    context = sample_context(events.COMPLAINT_REOPENED, note=None)

    email = render_email(environment, notification(events.COMPLAINT_REOPENED, context=context))
    sms = render_sms(environment, notification(events.COMPLAINT_REOPENED, context=context))

    assert "Alasan" not in email.text
    assert "Alasan" not in email.html
    assert "Alasan" not in sms
    assert "None" not in email.text
    assert "None" not in sms


def test_reopened_reason_cannot_inject_markup(environment: Any) -> None:
    context = sample_context(events.COMPLAINT_REOPENED, note=INJECTION, title=INJECTION)

    email = render_email(environment, notification(events.COMPLAINT_REOPENED, context=context))

    assert "<script>" not in email.html
    assert "&lt;script&gt;" in email.html
    assert "{{ 7*7 }}" in email.text
    assert "49" not in email.text


def test_reopened_sms_fits_the_segment_budget(environment: Any, tmp_path: Any) -> None:
    settings = Settings(environment="test", var_dir=tmp_path)
    long_reason = "Sampah kembali menumpuk di sudut jalan dan belum diangkut petugas. " * 8
    document = notification(
        events.COMPLAINT_REOPENED, channel="sms", context=sample_context(events.COMPLAINT_REOPENED, note=long_reason)
    )

    sms = compose_sms(environment, settings, document)

    assert sms.sms.segments <= settings.sms_max_segments
    assert sms.sms.encoding == "GSM-7"
