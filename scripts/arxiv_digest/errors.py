"""The one error type users see; the command line turns it into a single line."""

from __future__ import annotations


class DigestError(Exception):
    """An expected failure, with the context a user needs to act on it.

    ``where`` names the file, URL, category, arXiv id or front-matter key at fault; the message
    says what is wrong. ``str(err)`` is the one line printed by the command line.
    """

    def __init__(self, message: str, *, where: str | None = None):
        self.message = message
        self.where = where
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


def redact(text: str, *secrets: str | None) -> str:
    """Return ``text`` with every non-empty secret replaced by ``***``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text
