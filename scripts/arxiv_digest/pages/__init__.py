"""The page model: the front-matter schema, the summary section, its one reader and writer, the
validator of a docs dir, the page writer and atomic file storage."""

from . import frontmatter, schema, store, summary, validate, writer
from .schema import DayPage, PaperPage, read_day, read_paper
from .validate import Problem, Validation, refused_files, validate_docs

__all__ = [
    "DayPage",
    "PaperPage",
    "Problem",
    "Validation",
    "frontmatter",
    "read_day",
    "read_paper",
    "refused_files",
    "schema",
    "store",
    "summary",
    "validate",
    "validate_docs",
    "writer",
]
