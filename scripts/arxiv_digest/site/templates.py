"""Compiled theme templates kept from one `mkdocs serve` rebuild to the next."""

from __future__ import annotations

import jinja2


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode of the theme's templates, in memory.

    Each rebuild makes a new Jinja environment, which would compile every template again (about
    half a second, most of a one-page rebuild); a bucket's key holds its template's checksum, so
    an edited template is compiled again all the same.
    """

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()
