"""Shared fixtures. Fake arXiv and LLM servers live in tests/fakes/ and are imported here."""
