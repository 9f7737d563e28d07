"""The summary prompt, read from ``prompt.toml`` (its text and its version)."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from ..errors import DigestError

PROMPT_FILE = Path(__file__).with_name("prompt.toml")


@dataclass(frozen=True)
class Prompt:
    """The messages that ask for a summary; pages record ``version`` as ``summary.prompt``."""

    version: int
    """Raised whenever any text changes."""
    system: str
    """The system message."""
    shape_retry: str
    """Sent once after an answer that is not three bullets."""
    grounding_retry: str
    """Sent once after bullets that fail the grounding check; ``{problems}`` names them."""


@functools.lru_cache(maxsize=4)
def load_prompt(path: Path = PROMPT_FILE) -> Prompt:
    """The prompt in ``path``; DigestError naming the file and key when it is not usable."""
    try:
        table = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise DigestError(f"cannot read the prompt ({err})", where=str(path)) from None
    values: dict[str, object] = {}
    for field in fields(Prompt):
        value = table.pop(field.name, None)
        wanted = int if field.name == "version" else str
        if not isinstance(value, wanted) or isinstance(value, bool) or not value:
            raise DigestError(f"missing or not a {'positive integer' if wanted is int else 'text'}",
                              where=f"{path}: {field.name}")
        values[field.name] = value
    if table:
        raise DigestError("unknown key", where=f"{path}: {sorted(table)[0]}")
    if "{problems}" not in str(values["grounding_retry"]):
        raise DigestError("must contain {problems}", where=f"{path}: grounding_retry")
    return Prompt(**values)  # type: ignore[arg-type]
