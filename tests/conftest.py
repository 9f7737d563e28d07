"""Shared fixtures. Fake arXiv and LLM servers live in tests/fakes/ and are imported here."""
from tests.fakes.arxiv_server import arxiv_server  # noqa: F401
from tests.fakes.llm_server import llm_server  # noqa: F401
from tests.faults_support import rig  # noqa: F401
