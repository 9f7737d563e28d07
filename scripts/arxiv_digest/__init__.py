"""arxiv-digest: a daily digest of arXiv papers on efficient deep learning."""

__version__ = "0.1.0"
