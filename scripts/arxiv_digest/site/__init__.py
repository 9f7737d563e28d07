"""Rendering of the site: what the MkDocs hooks in hooks/ put on each page."""
