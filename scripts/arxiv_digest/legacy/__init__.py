"""The old hand-kept README digest, imported into pages."""

from .enrich import enrich_papers
from .importer import ImportReport, import_readme
from .readme import LegacyReadme, parse_readme

__all__ = ["ImportReport", "LegacyReadme", "enrich_papers", "import_readme", "parse_readme"]
