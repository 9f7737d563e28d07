"""The site's hook: MkDocs calls the methods of one DigestSite (``arxiv_digest.site``).

MkDocs registers every callable ``on_*`` attribute of a hook module; the object keeps the
state of the build, this module none of its own.
"""

from arxiv_digest.site import DigestSite

_site = DigestSite()

on_startup = _site.on_startup
on_config = _site.on_config
on_pre_build = _site.on_pre_build
on_files = _site.on_files
on_env = _site.on_env
on_page_markdown = _site.on_page_markdown
on_page_context = _site.on_page_context
on_template_context = _site.on_template_context
on_post_page = _site.on_post_page
on_post_build = _site.on_post_build
on_build_error = _site.on_build_error
on_serve = _site.on_serve
on_shutdown = _site.on_shutdown
