"""Summaries: the model client, the three-bullet summarizer and the extractive fallback."""
