"""Synthetic paper and day pages for benchmarks and tests, written through the real schema.

About 30 papers per announcement day, abstracts whose vocabulary has a long tail like a real
corpus, and in each abstract one coined word that no other page holds (to search for).

Lengths are calibrated to real data, so that the bytes of a page are those of a real page. Means
over 2,000 generated papers (seed 0) against the real sources; no length is below the real one
(``tests/test_synthetic_docs.py`` checks it):

- abstract: 1,385 characters (1,910 before the calibration); real 1,353 (median 1,348) over the
  7,313 abstracts of ``../shared/relevance/listing_2026-*.jsonl`` (the 417 the filter keeps: 1,321);
- title: 84.3 characters (60 before); real 83.6 over the same 7,313 titles;
- summary bullet: 251 characters (193 before), three a paper; real 247 (median 238) over the 171
  bullets of the original editor's picks (``human_picks_*.jsonl``, three a paper);
- author name: 13.5 characters (11 before); real 13.2 over the 197 names of the recorded arXiv
  API and RSS responses (``../shared/fixtures/arxiv``);
- kept as they were: 5.5 authors a paper (real 4.4 over the 58 papers of those responses and
  ``docs/papers``), 2.0 categories (real 1.95 in the listings) and 1.33 topics (real 1.34: the
  filter's topics of the 417 papers it keeps).
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from arxiv_digest.filter import TOPICS
from arxiv_digest.pages import schema

ROOT = Path(__file__).resolve().parent.parent
PAPERS_PER_DAY = 30
#: An abstract's words, drawn evenly from this range (about 1,385 characters; real: 1,353).
ABSTRACT_WORDS = (124, 210)
#: A summary bullet's words (about 251 characters; the editor's: 247).
BULLET_WORDS = (24, 36)

_COMMON = """the of and to a in for is we that on with by as this are our an be from at which model
models method methods training learning neural network networks data performance results
show propose proposed approach efficient efficiency inference memory compute cost large
language transformer transformers attention layer layers parameters accuracy tasks task
benchmark benchmarks quantization pruning sparse sparsity distillation low-rank adapter
fine-tuning throughput latency hardware gpu gpus speedup reduction baseline baselines while
can also using based across experiments demonstrate state-of-the-art significant
significantly framework novel trade-off bit bits precision weights activations kernel
kernels scaling token tokens context sequence length cache retrieval mixture experts routing
compression compressed structured unstructured sparsity-aware energy edge devices mobile
deployment real-world evaluation analysis theoretical empirical optimization gradient
stochastic convergence loss objective regularization representation representations
embedding embeddings pretrained pre-training downstream zero-shot few-shot prompting
reasoning generation decoding speculative draft verification batch batching parallelism
pipeline tensor distributed communication bandwidth throughput-oriented under over into
without more than up to times faster smaller lower higher better new existing prior work
however moreover furthermore specifically particular first second both each all only most""".split()  # noqa: SIM905

_SYLLABLES = """ka lo mi nu re sa ti vo ze qua bri cla dro fen gur hal jin kor lum mer""".split()  # noqa: SIM905

_FIRST = """Wei Li Ming Xin Yu Jun Hao Anna Maria Elena Sofia Lukas Jonas Noah Liam Emma Olivia
Arjun Priya Rahul Ananya Kenji Yuki Hiroshi Sara Ahmed Fatima Omar Ivan Olga Dmitri Pierre Camille
Luca Giulia Marco Diego Lucia Mateo Chen Zhang Tom Jacob Ethan Mia Grace Daniel Samuel""".split()  # noqa: SIM905
_LAST = """Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Smith Johnson Brown Garcia Miller Davis
Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson
Martin Lee Kumar Singh Patel Sharma Tanaka Suzuki Sato Kim Park Choi Nguyen Tran Muller
Schmidt Schneider Fischer Weber Rossi Russo Ferrari Dubois Laurent Petrov Ivanova Novak
Silva Santos""".split()  # noqa: SIM905

_CATEGORIES = ["cs.LG", "cs.CL", "cs.AI", "cs.CV", "stat.ML", "cs.NE", "cs.ET", "cs.DC", "cs.AR"]
#: The efficiency topics of the relevance rules, so tag pages are the real ones.
_TOPICS = sorted(TOPICS)
_TITLE_PARTS = (
    ["Efficient", "Scalable", "Fast", "Lightweight", "Adaptive", "Structured", "Memory-Efficient",
     "Hardware-Aware", "Provable", "Training-Free", "Dynamic", "Sparse"],
    ["Quantization", "Pruning", "Distillation", "Attention", "KV Cache Compression",
     "Mixture-of-Experts Routing", "Speculative Decoding", "Low-Rank Adaptation", "Inference",
     "Token Merging", "Activation Sparsity", "Kernel Fusion"],
    ["Large Language Models", "Vision Transformers", "Diffusion Models", "Edge Devices",
     "Long-Context Inference", "Multimodal Models", "Recommendation Systems", "Speech Recognition",
     "Graph Neural Networks", "Code Generation"],
    # Real titles are longer than the three parts (84 characters against 60): how, and where.
    ["with Learned Rounding", "via Structured Low-Rank Updates", "under Tight Memory Budgets",
     "at Datacenter Scale", "on Commodity GPUs", "without Retraining", "with Provable Guarantees",
     "across Heterogeneous Hardware", "in Federated Settings", "through Layer-Wise Calibration"],
)
#: Middle initials, given to this share of authors (real names are ~2 characters longer).
MIDDLE_INITIAL = 0.8


@dataclass(frozen=True)
class SyntheticPaper:
    """What a test or benchmark needs to know about one generated paper page."""

    arxiv_id: str
    title: str
    announced: dt.date
    unique_word: str
    """A word that appears in this paper's abstract and in no other page."""


def coined(index: int, end: str = "x") -> str:
    """A pronounceable word that encodes ``index``, ending in ``end``.

    With the default ``x`` (a letter no other generated word has) the word is not a prefix of
    any other word, so a search for it matches one paper only.
    """
    parts = []
    index += len(_SYLLABLES) ** 3  # at least four syllables, so it never collides with _tail
    while index:
        index, rest = divmod(index, len(_SYLLABLES))
        parts.append(_SYLLABLES[rest])
    return "".join(parts) + end


def _tail(rng: random.Random) -> str:
    """A rarer word: the long tail of a real corpus's vocabulary (about 8,000 words)."""
    return "".join(rng.choice(_SYLLABLES[:20]) for _ in range(3))


def _sentence(rng: random.Random, words: int) -> str:
    out = [rng.choice(_COMMON) if rng.random() < 0.8 else _tail(rng) for _ in range(words)]
    return " ".join(out).capitalize() + "."


def _author(rng: random.Random, initials: bool) -> str:
    middle = f" {rng.choice(_LAST)[0]}." if rng.random() < MIDDLE_INITIAL and initials else ""
    return f"{rng.choice(_FIRST)}{middle} {rng.choice(_LAST)}"


def _abstract(rng: random.Random, unique: str) -> str:
    sentences, count, words = [], 0, rng.randint(*ABSTRACT_WORDS)
    while count < words - 1:
        n = min(rng.randint(14, 30), words - 1 - count)
        sentences.append(_sentence(rng, n))
        count += n
    at = rng.randrange(len(sentences))
    sentences[at] = f"{sentences[at][:-1]} {unique}."
    return " ".join(sentences)


def _paper(rng: random.Random, index: int, arxiv_id: str, day: dt.date,
           plain: bool, initials: bool = True) -> tuple[str, SyntheticPaper]:
    adjective, subject, target, how = (rng.choice(part) for part in _TITLE_PARTS)
    name = coined(index * 7919 % 1_000_003, end="").capitalize()[:9]
    title = f"{name}: {adjective} {subject} for {target} {how}"
    unique = coined(index)
    primary = rng.choice(_CATEGORIES[:6])
    cross = rng.sample([c for c in _CATEGORIES if c != primary], rng.choice([0, 1, 1, 2]))
    bullets = [_sentence(rng, rng.randint(*BULLET_WORDS)) for _ in range(3)]
    # A summary names what sets its paper apart: the coined word is in a bullet too (the search
    # index holds the summary, not the abstract).
    bullets[index % 3] = f"{bullets[index % 3][:-1]} {unique}."
    stamp = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(17, 30), dt.UTC)
    paper = schema.Paper(
        title=title,
        arxiv_id=arxiv_id,
        version=rng.choice([1, 1, 1, 2]),
        authors=[_author(rng, initials) for _ in range(rng.randint(2, 9))],
        categories=[primary, *cross],
        announced=day,
        # Distinct objects: YAML would write one shared object as an anchor and an alias.
        published=stamp,
        updated=stamp.replace(minute=31),
        comment=rng.choice([None, "12 pages, 5 figures", "Accepted at ICML 2026", "Code online"]),
        topics=rng.sample(_TOPICS, rng.choice([1, 1, 2])),
        relevance=schema.Relevance(score=round(rng.uniform(1, 6), 1), matched=["title:efficient"]),
        abstract=_abstract(rng, unique),
        summary=schema.SummaryInfo(
            by="gpt-4o-mini", at=stamp.replace(minute=45), sha256=schema.summary_sha256(bullets)
        ),
    )
    body = schema.render_body(bullets)
    if plain:  # without the hooks nothing renders the front matter's abstract
        body += f"\n## Abstract\n\n{paper.abstract}\n"
    page = schema.render_paper(paper, body)
    return page, SyntheticPaper(arxiv_id, title, day, unique)


def _announcement_days(count: int, last: dt.date) -> list[dt.date]:
    """``count`` weekdays ending at ``last``, oldest first."""
    days, day = [], last
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= dt.timedelta(days=1)
    return days[::-1]


def generate_docs(docs_dir: Path, papers: int, *, seed: int = 0, plain: bool = False,
                  last_day: dt.date = dt.date(2026, 11, 27),
                  initials: bool = True) -> list[SyntheticPaper]:
    """Write ``papers`` paper pages and their day pages (weekends included) under ``docs_dir``.

    ``plain`` also writes each abstract into the page body, for a build without the hooks.
    ``initials=False`` gives no author a middle initial (a one-letter word in the search index).
    """
    rng = random.Random(seed)
    days = _announcement_days(-(-papers // PAPERS_PER_DAY), last_day)
    (docs_dir / schema.PAPERS_DIR).mkdir(parents=True, exist_ok=True)
    (docs_dir / schema.DAYS_DIR).mkdir(parents=True, exist_ok=True)
    made: list[SyntheticPaper] = []
    per_month: dict[str, int] = {}
    for day_index, day in enumerate(days):
        ids = []
        for _ in range(min(PAPERS_PER_DAY, papers - len(made))):
            month = day.strftime("%y%m")
            per_month[month] = per_month.get(month, 0) + 1
            arxiv_id = f"{month}.{per_month[month]:05d}"
            text, info = _paper(rng, len(made), arxiv_id, day, plain, initials)
            schema.paper_path(docs_dir, arxiv_id).write_text(text, "utf-8")
            made.append(info)
            ids.append(arxiv_id)
        listed = {"cs.LG": 400 + day_index % 50, "cs.CL": 150}
        meta = schema.Day(date=day, status="announced", papers=ids, listed=listed)
        schema.day_path(docs_dir, day).write_text(schema.render_day(meta), "utf-8")
        if day.weekday() == 4:  # the weekend after a Friday listing has no announcement
            for gap in (1, 2):
                empty = schema.Day(date=day + dt.timedelta(days=gap), status="no-announcement")
                if empty.date <= last_day:
                    schema.day_path(docs_dir, empty.date).write_text(schema.render_day(empty))
    return made


def add_day(docs_dir: Path, papers: int = PAPERS_PER_DAY, *, seed: int = 1) -> list[SyntheticPaper]:
    """Write the next announcement day after the newest day page, with ``papers`` new papers
    (a day's publish, for the incremental benchmark and tests)."""
    rng = random.Random(seed)
    paper_dir = docs_dir / schema.PAPERS_DIR
    newest = max(dt.date.fromisoformat(p.stem) for p in (docs_dir / schema.DAYS_DIR).glob("*.md"))
    day = newest + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    month = day.strftime("%y%m")
    taken = len(list(paper_dir.glob(f"{month}.*.md")))
    first = len(list(paper_dir.glob("*.md")))  # coined words stay unique
    made = []
    for n in range(papers):
        arxiv_id = f"{month}.{taken + n + 1:05d}"
        text, info = _paper(rng, first + n, arxiv_id, day, plain=False)
        schema.paper_path(docs_dir, arxiv_id).write_text(text, "utf-8")
        made.append(info)
    meta = schema.Day(date=day, status="announced", papers=[p.arxiv_id for p in made],
                      listed={"cs.LG": 400, "cs.CL": 150})
    schema.day_path(docs_dir, day).write_text(schema.render_day(meta), "utf-8")
    return made


def copy_hand_written(dest: Path) -> None:
    """The project's own pages and assets (docs/ without papers/ and days/) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for item in (ROOT / "docs").iterdir():
        if item.name in (schema.PAPERS_DIR, schema.DAYS_DIR) or item.name.startswith("."):
            continue
        if item.is_dir():
            shutil.copytree(item, dest / item.name, dirs_exist_ok=True)
        else:
            shutil.copy2(item, dest / item.name)


