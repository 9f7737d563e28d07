"""Generated content in hand-written pages: ``<!-- digest:NAME -->`` markers; unknown ones fail."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .. import filter as relevance
from ..config import Settings
from ..errors import DigestError
from . import names, urls
from .escape import md_text
from .index import PageIndex
from .render import count_html, entry_markdown, long_date

MARKER = re.compile(r"<!--\s*digest:(?P<name>[A-Za-z0-9_-]*)\s*-->")
#: Days linked below the latest day on the home page; the archive has the rest.
EARLIER_DAYS = 14


@dataclass(frozen=True)
class MarkerContext:
    """What a marker may draw from."""

    index: PageIndex
    settings: Settings
    links: urls.Links
    """Links from the page holding the marker."""
    repo_url: str = ""
    """The repository on GitHub (mkdocs.yml ``repo_url``)."""


def expand(markdown: str, ctx: MarkerContext, where: str) -> str:
    """Replace every marker in ``markdown``; an unknown marker raises DigestError."""

    def replace(match: re.Match[str]) -> str:
        render = RENDERERS.get(match["name"])
        if render is None:
            known = ", ".join(sorted(RENDERERS))
            raise DigestError(f"unknown marker digest:{match['name']} (known: {known})",
                              where=where)
        return render(ctx)

    return MARKER.sub(replace, markdown)


def _link(ctx: MarkerContext, uri: str) -> str:
    return ctx.links.md(uri)


def _latest(ctx: MarkerContext) -> str:
    index = ctx.index
    day = index.latest_announced()
    if day is None:
        return "No papers yet: the first day appears after the first daily run.\n"
    papers = index.ordered_papers(day)
    title = f"[{long_date(day.meta.date)}]({_link(ctx, urls.day_uri(day.meta.date))})"
    parts = [f"## {title}\n\n"]
    if day.meta.backfilled:
        parts.append("*Back-filled from the arXiv API; some papers may be missing.*\n\n")
    if day.meta.incomplete:
        parts.append("*arXiv cut a listing at 2,000 entries; some papers may be missing.*\n\n")
    parts.append(count_html(len(papers)) + "\n\n")  # on the first screen
    parts += [entry_markdown(page, ctx.links) for page in papers]
    earlier = [d for d in reversed(index.dates) if d < day.meta.date][:EARLIER_DAYS]
    if earlier:
        parts.append("## Earlier days\n\n")
        for date in earlier:
            meta = index.days[date].meta
            what = (f"{len(meta.papers)} papers" if meta.status == "announced"
                    else "no announcement")
            parts.append(f"- [{long_date(date)}]({_link(ctx, urls.day_uri(date))}) — {what}\n")
        parts.append(f"\nOlder days are in the [archive]({_link(ctx, urls.ARCHIVE_URI)}).\n")
    return "".join(parts)


def _categories(ctx: MarkerContext) -> str:
    return "".join(
        f"- [{c}](https://arxiv.org/list/{c}/new) — {names.CATEGORIES.get(c, c)}\n"
        for c in ctx.settings.categories
    )


def _topics(ctx: MarkerContext) -> str:
    rules = relevance.load_rules()
    return "".join(
        f"- [{md_text(name)}]({_link(ctx, urls.tag_uri(slug))})\n"
        if slug in _tagged(ctx) else f"- {md_text(name)}\n"
        for slug, name in rules.topics.items()
    )


def _tagged(ctx: MarkerContext) -> set[str]:
    return {t for page in ctx.index.papers.values() for t in page.meta.topics}


def _rules(ctx: MarkerContext) -> str:
    rules = relevance.load_rules()
    rows = ["| Rule | Kind | Topic | Weight | Looks in |", "|---|---|---|---:|---|"]
    for rule in rules.rules:
        topic = md_text(rules.topics.get(rule.topic, rule.topic)) if rule.topic else ""
        looks = rule.where if rule.phrases or rule.regexes else "categories"
        rows.append(f"| {md_text(rule.name)} | {rule.kind} | {topic} | {rule.weight:g} | "
                    f"{looks} |")
    return (relevance.describe(rules) + "\n\n"
            f'??? info "The {len(rules.rules)} rules"\n\n'
            + "".join(f"    {row}\n" for row in rows))


def _model(ctx: MarkerContext) -> str:
    return f"`{ctx.settings.model}`"


def _feeds(ctx: MarkerContext) -> str:
    return (f"[Atom feed]({_link(ctx, urls.ATOM_FEED)}) · "
            f"[JSON Feed]({_link(ctx, urls.JSON_FEED)})")


def _contributing(ctx: MarkerContext) -> str:
    base = ctx.repo_url.rstrip("/")
    return f"[CONTRIBUTING.md]({base}/blob/main/CONTRIBUTING.md)" if base else "CONTRIBUTING.md"


def _example(ctx: MarkerContext) -> str:
    """Edit link of the newest paper page, to show what a summary fix looks like."""
    papers = ctx.index.latest_papers(1)
    if not papers or not ctx.repo_url:
        return "`docs/papers/<arXiv id>.md`"
    path = f"docs/papers/{papers[0].meta.arxiv_id.replace('/', '-')}.md"
    return f"[`{path}`]({ctx.repo_url.rstrip('/')}/edit/main/{path})"


RENDERERS: dict[str, Callable[[MarkerContext], str]] = {
    "latest": _latest,
    "categories": _categories,
    "topics": _topics,
    "rules": _rules,
    "model": _model,
    "feeds": _feeds,
    "contributing": _contributing,
    "example-page": _example,
}
