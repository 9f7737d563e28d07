"""Summaries: the model client, the three-bullet summarizer and the extractive fallback."""

from . import extractive, llm, summarize
from .extractive import extractive_summary
from .llm import CallFailed, ChatCaller, Stats
from .summarize import Summarizer, Summary, SummaryRequest

__all__ = [
    "CallFailed",
    "ChatCaller",
    "Stats",
    "Summarizer",
    "Summary",
    "SummaryRequest",
    "extractive",
    "extractive_summary",
    "llm",
    "summarize",
]
