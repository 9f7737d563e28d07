"""The one error type users see; the command line turns it into a single line."""

from __future__ import annotations

import re

# Characters that would break a printed line or hide in it: C0 and C1 controls (newline and
# carriage return included), line and paragraph separators, bidi and zero-width marks, BOM.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff"
                          "\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` on one line, unprintable characters written as ``\\xNN``/``\\uNNNN``.

    Whatever came from input (a file name, a key, a feed's text) is printed through this, so no
    printed line can start a GitHub Actions workflow command such as ``::add-mask::``.
    """
    return _UNPRINTABLE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class DigestError(Exception):
    """An expected failure, with the context a user needs to act on it.

    ``where`` names the file (and front-matter key), URL, category or arXiv id at fault; the
    message says what is wrong. ``str(err)`` is the one line printed by the command line.
    """

    def __init__(self, message: str, *, where: str | None = None):
        self.message = message
        self.where = where
        super().__init__(str(self))

    def __str__(self) -> str:
        return printable(f"{self.where}: {self.message}" if self.where else self.message)


def redact(text: str, *secrets: str | None) -> str:
    """Return ``text`` with every non-empty secret replaced by ``***``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text
