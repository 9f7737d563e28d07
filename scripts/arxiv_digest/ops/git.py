"""Git for the daily run: sync with the remote branch, commit the pages, push without force."""

from __future__ import annotations

import base64
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import DigestError

#: Variables no git or build process of the run may see: the model key and push tokens.
SECRETS = ("OPENAI_API_KEY", "DIGEST_PUSH_TOKEN", "GH_TOKEN", "GITHUB_TOKEN")
DIGEST_SUBJECT = "digest: "
"""Subject prefix of the run's own commits (the only local commits a sync may drop)."""

_PROTECTED = re.compile(r"GH006|GH013|protected branch|rule violations", re.IGNORECASE)
_MOVED = re.compile(r"\[rejected\].*\((fetch first|non-fast-forward)\)")
_CREDENTIALS = re.compile(r"://[^/@\s]+@")


def scrubbed_env(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment without :data:`SECRETS`, for every process the run starts."""
    env = dict(os.environ if environ is None else environ)
    for name in SECRETS:
        env.pop(name, None)
    return env


@dataclass
class Repo:
    """The git work tree the run publishes from, and the remote branch it pushes to."""

    root: Path
    remote: str = "origin"
    push_token: str | None = None
    """Token sent as an HTTP header on fetch and push only (never written to ``.git/config``)."""

    @classmethod
    def at(cls, path: Path, *, push_token: str | None = None) -> Repo:
        top = _git(path, "rev-parse", "--show-toplevel", what="finding the git work tree")
        return cls(Path(top.strip()), push_token=push_token or None)

    def git(self, *args: str, remote: bool = False) -> str:
        """Run git; a failure is a DigestError naming the command and git's last line."""
        return _git(self.root, *args, env=self._env(remote))

    def branch(self) -> str:
        name = self.git("rev-parse", "--abbrev-ref", "HEAD").strip()
        if name == "HEAD":
            raise DigestError("HEAD is detached: check out the branch to publish",
                              where=str(self.root))
        return name

    def unfinished(self) -> str | None:
        """The git operation left half-done in this work tree (``rebase``, ``merge``...), if any."""
        for name, marker in (("rebase", "rebase-merge"), ("rebase", "rebase-apply"),
                             ("merge", "MERGE_HEAD"), ("cherry-pick", "CHERRY_PICK_HEAD")):
            path = self.git("rev-parse", "--git-path", marker).strip()
            if (self.root / path).exists():
                return name
        return None

    def sync(self, branch: str) -> str:
        """Reset the work tree to the remote branch's tip; return that commit.

        Only the run's own digest commits may be dropped (they are made again), and only from a
        clean work tree: anything else stops the run before it changes a file.
        """
        self.git("fetch", "--quiet", self.remote, branch, remote=True)
        tip = self.git("rev-parse", "FETCH_HEAD").strip()
        own = self.git("log", "--format=%s", f"{tip}..HEAD").splitlines()
        foreign = [s for s in own if not s.startswith(DIGEST_SUBJECT)]
        if foreign:
            raise DigestError(
                f"{len(foreign)} local commit(s) are not on {self.remote}/{branch} "
                f"(e.g. {foreign[0]!r}): push or drop them before publishing",
                where=str(self.root),
            )
        if self.git("status", "--porcelain", "--untracked-files=no").strip():
            raise DigestError("the work tree has uncommitted changes: commit or stash them first",
                              where=str(self.root))
        self.git("reset", "--quiet", "--hard", tip)
        return tip

    def commit(self, paths: list[Path], message: str) -> bool:
        """Commit the changes under ``paths``; False when nothing changed."""
        present = [str(p.relative_to(self.root)) for p in paths if p.exists()]
        if not present:
            return False
        self.git("add", "--all", "--", *present)
        changed = self.git("diff", "--cached", "--name-only", "-z", "--", *present)
        names = [n for n in changed.split("\0") if n]
        if not names:
            return False
        self.git("commit", "--quiet", "-m", message, "--", *names)
        return True

    def push(self, branch: str) -> Literal["pushed", "moved"]:
        """Push HEAD to the remote branch: ``moved`` when the branch gained commits meanwhile.

        A push refused by branch protection stops the run at once: retrying cannot help.
        """
        run = subprocess.run(
            ["git", "push", "--porcelain", self.remote, f"HEAD:refs/heads/{branch}"],
            cwd=self.root, env=self._env(True), capture_output=True, text=True,
        )
        if run.returncode == 0:
            return "pushed"
        said = _CREDENTIALS.sub("://", run.stdout + run.stderr)
        where = f"{self.remote}/{branch}"
        if _PROTECTED.search(said):
            raise DigestError(
                f"the push was refused by branch protection ({_line(said, _PROTECTED)}): "
                "the workflow's token cannot bypass it; give the push step a GitHub App token "
                "whose App is on the branch's bypass list (README: Publishing, Protected branches)",
                where=where,
            )
        if _MOVED.search(said):
            return "moved"
        raise DigestError(f"git push failed: {_last(said)}", where=where)

    def _env(self, remote: bool) -> dict[str, str]:
        env = scrubbed_env()
        if remote and self.push_token:
            basic = base64.b64encode(f"x-access-token:{self.push_token}".encode()).decode()
            count = int(env.get("GIT_CONFIG_COUNT", "0") or 0)
            env.update({"GIT_CONFIG_COUNT": str(count + 1),
                        f"GIT_CONFIG_KEY_{count}": "http.extraheader",
                        f"GIT_CONFIG_VALUE_{count}": f"AUTHORIZATION: basic {basic}"})
        return env


def _git(cwd: Path, *args: str, env: dict[str, str] | None = None, what: str = "") -> str:
    run = subprocess.run(["git", *args], cwd=cwd, env=env or scrubbed_env(),
                         capture_output=True, text=True)
    if run.returncode != 0:
        said = _CREDENTIALS.sub("://", run.stderr or run.stdout)
        raise DigestError(f"{what or 'git ' + args[0]} failed: {_last(said)}", where=str(cwd))
    return run.stdout


def _last(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def _line(text: str, pattern: re.Pattern[str]) -> str:
    found = [line.strip() for line in text.splitlines() if pattern.search(line)]
    return (found[0] if found else _last(text)).removeprefix("remote:").strip()
