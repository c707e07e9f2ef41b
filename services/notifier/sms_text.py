"""SMS text as carriers count it: GSM-7 or UCS-2 segments, and fitting a text into a budget.

A text is sent in GSM-7 when every character is in the GSM 03.38 default
alphabet or its extension table; an extension character (such as `€` or `[`)
is sent as an escape plus a code, so it costs two units. One character
outside both tables sends the whole text in UCS-2, where each UTF-16 code
unit costs one unit and an emoji outside the Basic Multilingual Plane costs
two. A single segment holds 160 GSM-7 or 70 UCS-2 units; a longer text is
split into segments of 153 or 67 units, because each carries a
concatenation header, and a segment never ends inside an escape pair or a
surrogate pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Encoding = Literal["GSM-7", "UCS-2"]

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

SINGLE_SEGMENT_UNITS: dict[Encoding, int] = {"GSM-7": 160, "UCS-2": 70}
MULTIPART_SEGMENT_UNITS: dict[Encoding, int] = {"GSM-7": 153, "UCS-2": 67}

ELLIPSIS = "..."

# Typographic characters that word processors and phones insert; their
# plain forms are in GSM-7, so replacing them keeps a text at 160 per segment.
PLAIN_FORMS = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark, also the apostrophe
        "\u201a": "'",  # single low-9 quotation mark
        "\u201b": "'",  # single high-reversed-9 quotation mark
        "\u2032": "'",  # prime
        "\u201c": '"',  # left double quotation mark
        "\u201d": '"',  # right double quotation mark
        "\u201e": '"',  # double low-9 quotation mark
        "\u201f": '"',  # double high-reversed-9 quotation mark
        "\u2033": '"',  # double prime
        "\u00ab": '"',  # left-pointing double angle quotation mark
        "\u00bb": '"',  # right-pointing double angle quotation mark
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2015": "-",  # horizontal bar
        "\u2212": "-",  # minus sign
        "\u2026": "...",  # horizontal ellipsis
        "\u00a0": " ",  # no-break space
        "\u2007": " ",  # figure space
        "\u2009": " ",  # thin space
        "\u202f": " ",  # narrow no-break space
        "\t": " ",
        "\u200b": None,  # zero-width space
        "\ufeff": None,  # byte order mark
    }
)


@dataclass(frozen=True)
class SmsText:
    """A text ready to send, with what it costs."""

    text: str
    encoding: Encoding
    units: int
    segments: int
    truncated: bool = False


def plain_text(text: str) -> str:
    """Replace typographic quotes, dashes and spaces with their GSM-7 forms and use `\\n` line ends."""
    return text.replace("\r\n", "\n").translate(PLAIN_FORMS)


def encoding_of(text: str) -> Encoding:
    if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text):
        return "GSM-7"
    return "UCS-2"


def char_units(char: str, encoding: Encoding) -> int:
    """Return what one character costs: 2 for a GSM-7 extension character or a UCS-2 surrogate pair."""
    if encoding == "GSM-7":
        return 2 if char in GSM7_EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1


def count_units(text: str, encoding: Encoding) -> int:
    return sum(char_units(char, encoding) for char in text)


def count_segments(text: str, encoding: Encoding | None = None) -> int:
    """Return how many segments `text` takes, never splitting an escape or surrogate pair."""
    encoding = encoding or encoding_of(text)
    if not text:
        return 0
    if count_units(text, encoding) <= SINGLE_SEGMENT_UNITS[encoding]:
        return 1

    capacity = MULTIPART_SEGMENT_UNITS[encoding]
    segments = 1
    used = 0
    for char in text:
        cost = char_units(char, encoding)
        if used + cost > capacity:
            segments += 1
            used = 0
        used += cost
    return segments


def measure(text: str, truncated: bool = False) -> SmsText:
    encoding = encoding_of(text)
    return SmsText(text, encoding, count_units(text, encoding), count_segments(text, encoding), truncated)


def fit_sms(text: str, max_segments: int) -> SmsText:
    """Return `text` made plain, cut with `...` when it needs more than `max_segments` segments."""
    if max_segments < 1:
        raise ValueError(f"max_segments is {max_segments}; an SMS needs at least 1 segment")
    text = plain_text(text).strip()
    measured = measure(text)
    if measured.segments <= max_segments:
        return measured

    kept = _longest_prefix(text, measured.encoding, max_segments)
    cut = _at_word_boundary(kept).rstrip(" ,;:-\n")
    return measure(cut + ELLIPSIS, truncated=True)


def _longest_prefix(text: str, encoding: Encoding, max_segments: int) -> str:
    """Return the longest prefix that, with the ellipsis, fits in `max_segments` segments."""
    # The segment count only grows with the prefix, so a binary search finds the cut.
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if count_segments(text[:middle] + ELLIPSIS, encoding) <= max_segments:
            low = middle
        else:
            high = middle - 1
    return text[:low]


def _at_word_boundary(prefix: str, max_lost: int = 20) -> str:
    """Cut at the last space when that loses at most `max_lost` characters, so no word is left half."""
    space = prefix.rfind(" ")
    if space > 0 and len(prefix) - space <= max_lost:
        return prefix[:space]
    return prefix
