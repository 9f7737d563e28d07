"""The digest's site: MkDocs pages made from the paper and day pages (``hooks/digest.py``)."""

from .digest_site import DigestSite

__all__ = ["DigestSite"]
