"""Talking to arXiv: the RSS listing of a day, metadata from the API, back-fill of past days."""
