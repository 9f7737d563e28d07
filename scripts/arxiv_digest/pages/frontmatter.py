"""The one front-matter reader and writer of the project, built on python-frontmatter.

Every page is read by :func:`split` (the schema, ``check``, the hooks and the writer's scans)
and written by :func:`join`, so they cannot disagree on what a page's front matter is.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import frontmatter
import yaml

from ..errors import DigestError

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

BOM = "\ufeff"
DELIMITER = "---"
#: A line that closes YAML's document: MkDocs would end the front matter there, we refuse it.
_DOCUMENT_END = re.compile(r"^\.\.\.[ \t]*$", re.M)
#: Characters XML 1.0 does not allow (C0 controls but tab and line ends, lone surrogates,
#: U+FFFE, U+FFFF) and the C1 controls it discourages: the site's feeds could not hold them.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader, refusing a key given twice (PyYAML would keep the last one silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key '{key_node.value}' is given twice", key_node.start_mark
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        # A date such as 2026-13-45 looks like one to YAML, then fails in ``datetime``.
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as err:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value} is not a date ({err})", node.start_mark
            ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


class _AnchorLoader(_Loader):
    """For front matter with an anchor (``&name``): refuses any alias of it.

    An alias lets 3 KB of YAML expand to millions of values, and a page never needs one (the
    writer writes none). Without an anchor there can be no alias, so most pages skip this.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # Only an alias makes the composer hand the constructor a node it has seen before.
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "an alias (*name) is not allowed", node.start_mark
            )
        return super().construct_object(node, deep=deep)


class _Dumper(yaml.SafeDumper):
    """Block style, schema key order, long lines kept whole (diffs stay one line per field)."""

    def ignore_aliases(self, data: Any) -> bool:
        # A value used twice (the same datetime for published and updated) is written twice:
        # the reader refuses aliases.
        return True


# Line breaks of YAML 1.1 (\x85, \u2028, \u2029), of Python's splitlines (\x1c-\x1e) and of
# MkDocs' front-matter regex, and characters YAML may not hold raw. PyYAML writes such strings
# plain or single-quoted across several lines, where libyaml, PyYAML and MkDocs read them back
# differently (or a line '---' ends the front matter early); double quotes escape them all.
_ESCAPE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # Other Unicode spaces at either end (U+3000, U+2003...) are plain to YAML but not to
    # str.strip and the readers that trim front matter: quoted, they survive every reader.
    edges = value.strip() != value.strip(" \t")
    style = '"' if edges or _ESCAPE.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _datetime_representer(dumper: yaml.SafeDumper, value: dt.datetime) -> yaml.Node:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat() + "Z")


_Dumper.add_representer(str, _str_representer)
_Dumper.add_representer(dt.datetime, _datetime_representer)


class _Handler(frontmatter.YAMLHandler):
    """python-frontmatter's YAML handler with the strict loader and the writer's dumper.

    The boundary is exactly a ``---`` line (python-frontmatter's default also takes ``----``).
    """

    FM_BOUNDARY = re.compile(r"^---[ \t]*$", re.M)

    def load(self, fm: str, **kwargs: object) -> Any:
        loader = _AnchorLoader if "&" in fm else _Loader
        return yaml.load(fm, Loader=loader)  # noqa: S506 - a safe loader

    def export(self, metadata: dict[str, object], **kwargs: object) -> str:
        return yaml.dump(metadata, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                         width=2**31, default_flow_style=False).strip()


HANDLER = _Handler()


class PageProblem(ValueError):
    """What is wrong with a page's text: the key at fault and the message (see :func:`parse`)."""

    def __init__(self, key: str, message: str):
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


def has_front_matter(text: str) -> bool:
    """True when ``text`` (a page, BOM allowed) opens with a ``---`` line."""
    return HANDLER.detect(_normal(text))


def parse(text: str) -> tuple[dict[str, Any], str]:
    """The front matter (a non-empty mapping) and the body of a page; PageProblem otherwise.

    A byte-order mark is dropped (as MkDocs does) and Windows line ends read as ``\n``; the
    body comes back stripped, as python-frontmatter gives it. Characters XML 1.0 forbids are
    refused anywhere in the page: the feeds of the site could not hold them.
    """
    text = _normal(text)
    if not HANDLER.detect(text):
        raise PageProblem("front matter", "missing (the page must start with a '---' line)")
    try:
        fm, body = HANDLER.split(text)
    except ValueError:
        raise PageProblem("front matter", "not closed (a '---' line must end it)") from None
    end = _DOCUMENT_END.search(fm)
    if end is not None:
        line = fm.count("\n", 0, end.start()) + 1
        raise PageProblem("front matter",
                          f"closed by '...' at line {line} (close it with a '---' line)")
    try:
        meta = HANDLER.load(fm)
    except yaml.YAMLError as err:
        raise PageProblem("front matter", _yaml_problem(err)) from None
    if not isinstance(meta, dict) or not meta:
        raise PageProblem("front matter", "empty or not a mapping of keys")
    if "\\" in fm:  # only an escape in double quotes gets past YAML's own character check
        _check_text(meta, "")
    bad = FORBIDDEN.search(body)
    if bad is not None:
        line = text.count("\n", 0, len(text) - len(body) + bad.start()) + 1
        raise PageProblem(f"line {line}", f"holds {_name(bad[0])}, which XML does not allow")
    return meta, body.strip()


def split(text: str, where: str) -> tuple[dict[str, Any], str]:
    """:func:`parse`, failing with a DigestError naming ``where`` (the file) and the key."""
    try:
        return parse(text)
    except PageProblem as problem:
        raise DigestError(problem.message, where=f"{where}: {problem.key}") from None


def join(meta: dict[str, Any], body: str) -> str:
    """The page text: ``meta`` as block YAML between ``---`` lines, a blank line, the body."""
    post = frontmatter.Post(body.strip("\n"))
    post.metadata.update(meta)
    return frontmatter.dumps(post, handler=HANDLER) + "\n"


def clean(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (for text entering from outside)."""
    return FORBIDDEN.sub("", text)


def _check_text(value: Any, key: str) -> None:
    """Refuse forbidden characters in any key or string of the front matter, naming the key."""
    if isinstance(value, str):
        bad = FORBIDDEN.search(value)
        if bad is not None:
            raise PageProblem(key or "front matter",
                              f"holds {_name(bad[0])}, which XML does not allow")
    elif isinstance(value, dict):
        for name, item in value.items():
            dotted = f"{key}.{name}" if key else str(name)
            _check_text(str(name), dotted)
            _check_text(item, dotted)
    elif isinstance(value, list):
        for number, item in enumerate(value):
            _check_text(item, f"{key}.{number}")


def _name(char: str) -> str:
    return f"U+{ord(char):04X}"


def _normal(text: str) -> str:
    return text.removeprefix(BOM).replace("\r\n", "\n")


def _yaml_problem(err: yaml.YAMLError) -> str:
    mark = getattr(err, "problem_mark", None)
    # +1: the mark counts lines from 0 after the opening '---' line, which is the file's line 1.
    line = f" at line {mark.line + 1}" if mark is not None else ""
    problem = getattr(err, "problem", None) or type(err).__name__
    return f"not valid YAML{line}: {problem}"


def optional(text: str, where: str) -> dict[str, Any]:
    """The front matter of a hand-written page, which may have none ({}); DigestError if bad.

    MkDocs drops front matter it cannot read without a word: the build reads it here first.
    """
    if not has_front_matter(text):
        return {}
    return split(text, where)[0]
