"""The sitemap, split as the sitemaps protocol asks: files of at most 50,000 URLs, and an index.

``sitemap.xml`` at the site's root is always the index (the theme's template, rendered by
MkDocs), naming ``sitemap-1.xml``, ``sitemap-2.xml``... beside it: a sitemap may list only URLs
at or below its own folder. ``robots.txt`` names the index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

#: URLs per sitemap file: the protocol's limit (Settings.sitemap_urls lowers it).
SITEMAP_URLS = 50_000
INDEX = "sitemap.xml"
ROBOTS = "robots.txt"


def part_name(number: int) -> str:
    return f"sitemap-{number}.xml"


@dataclass
class Sitemap:
    """The page addresses of one build, cut into the files the index names."""

    parts: list[list[str]] = field(default_factory=list)
    """The pages' URLs (as MkDocs gives them) of each file."""
    base: str = ""
    """The site's address: a page's is ``urljoin(base, url)``, as MkDocs makes it. Kept apart,
    the URLs are the strings MkDocs holds anyway (at 100,000 papers, 11 MB less)."""

    @classmethod
    def of(cls, pages: list[Any], per_file: int = SITEMAP_URLS,
           site_url: str | None = None) -> Sitemap:
        """From the documentation ``File`` objects MkDocs gives the sitemap template. A file
        without a page (an incremental build left its page as it was) has the address MkDocs
        would give its page. Without ``site_url`` no page has an address."""
        base = site_url if not site_url or site_url.endswith("/") else site_url + "/"
        if not base:
            return cls([[]])
        found = [url for file in pages if (url := _url(file)) is not None]
        return cls([found[at:at + per_file] for at in range(0, len(found), per_file)] or [[]],
                    base)

    def index_locs(self, site_url: str) -> list[str]:
        """The addresses of the part files, for the index (absolute when ``site_url`` is set)."""
        base = site_url if site_url.endswith("/") or not site_url else site_url + "/"
        return [base + part_name(n) for n in range(1, len(self.parts) + 1)]

    def write(self, site_dir: Path) -> None:
        for number, found in enumerate(self.parts, 1):
            entries = "".join(f"<url><loc>{escape(urljoin(self.base, url), quote=False)}</loc>"
                              "</url>\n" for url in found)
            (site_dir / part_name(number)).write_text(
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                f"{entries}</urlset>\n", "utf-8")


def _url(file: Any) -> str | None:
    page = file.page
    if page is None:
        return file.url
    return None if page.is_link else page.url


def robots_txt(site_url: str) -> str:
    """Crawlers may read every page; the sitemap index is named with its full address."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return f"User-agent: *\nDisallow:\n\nSitemap: {base}{INDEX}\n"
