#!/usr/bin/env bash
# The daily publish: fetch the latest arXiv announcement day (or $DATE), commit the pages that
# changed, check them and build the site with `mkdocs build --strict`. The workflow runs it with
# --push; without it, it is safe to try in a local clone (it commits, never pushes).
#
#   scripts/daily.sh                      # the latest announcement day
#   DATE=2026-04-24 scripts/daily.sh      # back-fill one past day
#   scripts/daily.sh --push               # also rebase on the remote branch and push (CI)
#
# Environment: DATE (optional, YYYY-MM-DD), OPENAI_API_KEY (optional: without it summaries are
# extractive), DIGEST_DOCS_DIR (default docs) and the other settings `arxiv-digest fetch` reads.
# Runs in the git work tree of the current directory. Any failure stops it before the push.
set -euo pipefail

push=false
case "${1:-}" in
  --push) push=true ;;
  "") ;;
  *) echo "usage: scripts/daily.sh [--push]" >&2; exit 2 ;;
esac

cd "$(git rev-parse --show-toplevel)"
docs="${DIGEST_DOCS_DIR:-docs}"
if [[ -n "${DATE:-}" && ! "$DATE" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]]; then
  echo "daily: DATE must be YYYY-MM-DD, not '$DATE'" >&2
  exit 2
fi

# 1. Fetch. A failure (network, capped feed, bad key) exits here: nothing committed or built.
arxiv-digest fetch ${DATE:+--date "$DATE"} --docs-dir "$docs"
# With a key, also upgrade extractive summaries left by earlier days (the model was down, or the
# pages were written without a key). Pages a person edited are never touched.
if [[ -n "${OPENAI_API_KEY:-}" ]]; then
  arxiv-digest resummarize --docs-dir "$docs"
fi

# 2. Commit the pages the fetch wrote, and only them, if any changed. (Git keeps no empty
#    folder: before the first paper, a fresh clone has no papers/.)
pages=()
for folder in "$docs/papers" "$docs/days"; do
  if [[ -e "$folder" ]]; then pages+=("$folder"); fi
done
git add --all -- "${pages[@]}"
if git diff --cached --quiet -- "${pages[@]}"; then
  echo "daily: no page changed, nothing to commit"
else
  message="$(python3 - "$docs" <<'PY'
"""The commit message: the day (from its page) and what changed."""
import subprocess
import sys
from pathlib import Path

from arxiv_digest.pages.schema import read_day

docs = Path(sys.argv[1])
changes = subprocess.run(
    ["git", "diff", "--cached", "--name-status", "--", f"{docs}/papers", f"{docs}/days"],
    check=True, capture_output=True, text=True,
).stdout.splitlines()
status = [line.split("\t")[0][0] for line in changes]
days, heads = [line.split("\t")[-1] for line in changes if "/days/" in line], []
for path in days:
    if Path(path).exists():
        day = read_day(Path(path)).meta
        count = len(day.papers)
        what = "no announcement" if day.status == "no-announcement" else (
            f"{count} paper{'s' if count != 1 else ''}")
        heads.append(f"{day.date} ({what}{', back-filled' if day.backfilled else ''})")
papers = [s for s, line in zip(status, changes) if "/papers/" in line]
new, changed = papers.count("A"), len(papers) - papers.count("A")
pages = f"{len(papers)} paper page{'s' if len(papers) != 1 else ''}"
subject = "digest: " + ("; ".join(heads) if heads else f"update {pages}")
print(f"{subject}\n\nPaper pages: {new} new, {changed} changed. Day pages: {len(days)}.")
PY
)"
  # Name the changed files: a folder with no file in git yet is no pathspec for a commit.
  mapfile -d '' changed < <(git diff --cached --name-only -z -- "${pages[@]}")
  git commit --quiet -m "$message" -- "${changed[@]}"
  echo "daily: committed \"$(git log -1 --format=%s)\""
fi

# 3. Take in what was merged meanwhile (summary fixes), so the build and the push include it.
branch="$(git rev-parse --abbrev-ref HEAD)"
if $push; then
  git pull --rebase --quiet origin "$branch"
fi

# 4. Check and build. A page that breaks the site fails here, before anything is pushed.
arxiv-digest check --docs-dir "$docs"
mkdocs build --strict

# 5. Push; if a merge landed during the build, rebase on it and try again.
if $push; then
  for attempt in 1 2 3; do
    if git push --quiet origin "HEAD:$branch"; then break; fi
    if [[ $attempt == 3 ]]; then echo "daily: push failed 3 times" >&2; exit 1; fi
    git pull --rebase --quiet origin "$branch"
  done
fi
