"""A plain progress bar on stderr.

On a terminal the bar redraws itself in place with a carriage return. When
stderr is a file or a pipe (CI logs, `2> import.log`) it writes one line
per tenth of the work instead, so logs stay readable.
"""

from __future__ import annotations

import sys
from typing import TextIO

BAR_WIDTH = 30


class ProgressBar:
    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.total = max(total, 0)
        self.label = label
        self.done = 0
        self._stream = stream if stream is not None else sys.stderr
        self._interactive = self._stream.isatty()
        self._last_tenth = -1

    def advance(self, count: int) -> None:
        self.done = min(self.done + count, self.total)
        self._draw()

    def close(self) -> None:
        if self._interactive:
            self._stream.write("\n")
            self._stream.flush()

    def _draw(self) -> None:
        share = self.done / self.total if self.total else 1.0
        filled = round(share * BAR_WIDTH)
        line = f"{self.label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {self.done}/{self.total} ({share:.0%})"
        if self._interactive:
            self._stream.write("\r" + line)
            self._stream.flush()
            return

        tenth = int(share * 10)
        if tenth > self._last_tenth:
            self._last_tenth = tenth
            self._stream.write(line + "\n")
            self._stream.flush()
