"""Complaint titles made from the first words of a complaint's text.

The export has no titles, and citizens replaying it through the API must
send one, so both the importer and the replay benchmark make one here.
"""

from __future__ import annotations

TITLE_MAX_CHARS = 80
TITLE_MAX_WORDS = 10
ELLIPSIS = "…"


def title_from_text(text: str, max_chars: int = TITLE_MAX_CHARS, max_words: int = TITLE_MAX_WORDS) -> str:
    """Return the first words of `text`, at most `max_words` words and `max_chars` characters.

    An ellipsis marks a cut. A first word longer than the limit is cut
    inside the word, so the title is never empty for a non-blank text.
    """
    words = text.split()
    budget = max_chars - len(ELLIPSIS)
    chosen: list[str] = []
    for word in words[:max_words]:
        if len(" ".join([*chosen, word])) > budget:
            break
        chosen.append(word)

    if not chosen and words:
        return words[0][:budget] + ELLIPSIS

    title = " ".join(chosen)
    if len(chosen) < len(words):
        title += ELLIPSIS
    return title
