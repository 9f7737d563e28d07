"""The relevance filter: rules scored per paper, the day's best kept, optionally an LLM judge."""

from .day import Listed, filter_day
from .describe import describe
from .judge import Judge
from .rules import DEFAULT_RULES, TOPICS, Rules, load_rules
from .score import Verdict, classify, normalize, rank_day

__all__ = [
    "DEFAULT_RULES",
    "TOPICS",
    "Judge",
    "Listed",
    "Rules",
    "Verdict",
    "classify",
    "describe",
    "filter_day",
    "load_rules",
    "normalize",
    "rank_day",
]
