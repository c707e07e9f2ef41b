"""SMS segment counting and fitting; every expected count is worked out by hand in a comment."""

from __future__ import annotations

import pytest

from services.notifier.sms_text import count_segments, count_units, encoding_of, fit_sms, measure, plain_text

EMOJI = "\U0001F621"  # 😡, outside the Basic Multilingual Plane: a surrogate pair in UTF-16


def test_short_indonesian_text_is_one_gsm_segment() -> None:
    # "Terima kasih atas laporan Anda." = 6+1+5+1+4+1+7+1+5 = 31 characters, all GSM-7.
    sms = measure("Terima kasih atas laporan Anda.")

    assert sms.encoding == "GSM-7"
    assert sms.units == 31
    assert sms.segments == 1


def test_gsm_single_segment_limit_is_160() -> None:
    assert count_segments("a" * 160) == 1
    # 161 units no longer fit one segment; multipart segments hold 153: 153 + 8.
    assert count_segments("a" * 161) == 2
    assert count_segments("a" * 306) == 2
    assert count_segments("a" * 307) == 3


def test_gsm_extension_characters_cost_two_units() -> None:
    text = "Biaya [gratis] ~ €"
    # B,i,a,y,a,space = 6; [ = 2; g,r,a,t,i,s = 6; ] = 2; space = 1; ~ = 2; space = 1; € = 2.
    assert encoding_of(text) == "GSM-7"
    assert count_units(text, "GSM-7") == 6 + 2 + 6 + 2 + 1 + 2 + 1 + 2
    # 159 basic characters and one € make 161 units: two segments, though only 160 characters.
    assert count_segments("a" * 159 + "€") == 2


def test_gsm_segment_never_splits_an_escape_pair() -> None:
    # 152 + 2 + 152 = 306 units, which 2 x 153 would hold, but the € cannot
    # straddle segments: segment 1 takes 152 units, segment 2 the € and 151
    # letters (153), and the last letter needs a third segment.
    assert count_segments("a" * 152 + "€" + "a" * 152) == 3
    assert count_segments("a" * 152 + "€" + "a" * 151) == 2


def test_emoji_switches_to_ucs2_and_costs_two_units() -> None:
    # "Jalan di depan sekolah rusak parah " is 35 characters, then the emoji: 35 + 2 = 37 units.
    text = "Jalan di depan sekolah rusak parah " + EMOJI
    sms = measure(text)

    assert sms.encoding == "UCS-2"
    assert len(text) == 36
    assert sms.units == 37
    assert sms.segments == 1


def test_ucs2_limits_are_70_and_67() -> None:
    # 68 letters and an emoji are exactly 70 units: one segment.
    assert count_segments("a" * 68 + EMOJI) == 1
    # 69 letters and an emoji are 71 units: 67 + 4.
    assert count_segments("a" * 69 + EMOJI) == 2
    # "é" is in GSM-7 but "ê" is not: 71 units of UCS-2 without any emoji.
    assert count_segments("ê" + "a" * 70) == 2


def test_ucs2_segment_never_splits_a_surrogate_pair() -> None:
    # 66 + 2 + 66 = 134 units would fit 2 x 67, but the emoji cannot straddle:
    # segment 1 holds 66, segment 2 the emoji and 65 letters, segment 3 the last letter.
    assert count_segments("a" * 66 + EMOJI + "a" * 66) == 3
    assert count_segments("a" * 66 + EMOJI + "a" * 65) == 2


def test_curly_quotes_and_dashes_become_plain() -> None:
    text = "Warga menulis \u201cjalan rusak\u201d \u2013 mohon segera diperbaiki\u2026 Terima kasih\u2019"
    plain = plain_text(text)

    assert plain == 'Warga menulis "jalan rusak" - mohon segera diperbaiki... Terima kasih\''
    assert encoding_of(text) == "UCS-2"
    assert encoding_of(plain) == "GSM-7"


def test_plain_quotes_keep_gsm_segment() -> None:
    # 100 letters plus curly quotes around "b": 103 characters. Left curly, it is
    # UCS-2 (103 > 70: 67 + 36, two segments); made plain, 103 GSM-7 units fit one.
    raw = "a" * 100 + "\u201cb\u201d"

    assert count_segments(raw) == 2
    fitted = fit_sms(raw, max_segments=3)
    assert fitted.encoding == "GSM-7"
    assert fitted.segments == 1
    assert not fitted.truncated


def test_emoji_in_indonesian_text_doubles_the_cost() -> None:
    # "Mohon lampu jalan di Jl. Veteran segera diperbaiki, sudah padam seminggu " is 73
    # characters; with a 😡 it is UCS-2 and 75 units: 67 + 8, two segments. Without
    # the emoji the same 73 characters are one GSM-7 segment.
    base = "Mohon lampu jalan di Jl. Veteran segera diperbaiki, sudah padam seminggu "

    assert len(base) == 73
    assert count_segments(base) == 1
    assert measure(base + EMOJI).units == 75
    assert count_segments(base + EMOJI) == 2


def test_fit_truncates_gsm_text_to_max_segments() -> None:
    words = "laporan " * 100  # 800 characters
    fitted = fit_sms(words, max_segments=3)

    assert fitted.truncated
    assert fitted.segments == 3
    assert fitted.units <= 3 * 153
    assert fitted.text.endswith("laporan...")


def test_fit_truncates_ucs2_text_to_max_segments() -> None:
    text = ("Lampu padam " + EMOJI + " ") * 30
    fitted = fit_sms(text, max_segments=2)

    assert fitted.encoding == "UCS-2"
    assert fitted.truncated
    assert fitted.segments <= 2
    assert fitted.units <= 2 * 67
    assert fitted.text.endswith("...")
    assert "\ud83d" not in fitted.text  # no half surrogate left behind


def test_fit_one_segment_uses_the_single_segment_limit() -> None:
    fitted = fit_sms("x" * 400, max_segments=1)

    assert fitted.segments == 1
    assert fitted.units == 160
    assert fitted.text == "x" * 157 + "..."


def test_fit_keeps_text_within_budget_unchanged() -> None:
    fitted = fit_sms("Yth. Bapak/Ibu, laporan Anda telah kami terima.", max_segments=1)

    assert fitted.text == "Yth. Bapak/Ibu, laporan Anda telah kami terima."
    assert not fitted.truncated


def test_fit_rejects_zero_segments() -> None:
    with pytest.raises(ValueError, match="at least 1 segment"):
        fit_sms("teks", max_segments=0)
