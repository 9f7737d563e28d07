"""Talking to arXiv: the RSS listing of a day, metadata from the API, back-fill of past days.

Everything goes through one :class:`ArxivHttp` per run (one session, pacer and retry policy).
"""

from .api import ArxivClient, Metadata, fetch_metadata, make_client
from .backfill import backfill_listing, submission_window
from .http import ArxivHttp
from .listing import EASTERN, FEED_CAP, ListedPaper, Listing, fetch_listing

__all__ = [
    "EASTERN",
    "FEED_CAP",
    "ArxivClient",
    "ArxivHttp",
    "ListedPaper",
    "Listing",
    "Metadata",
    "backfill_listing",
    "fetch_listing",
    "fetch_metadata",
    "make_client",
    "submission_window",
]
