"""The docs are tested: every command and option is in the README, every hook is registered."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
import yaml
from arxiv_digest.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")


def _commands() -> list[tuple[str, click.Command]]:
    ctx = click.Context(cli)
    return [(name, cli.get_command(ctx, name)) for name in cli.list_commands(ctx)]


@pytest.mark.parametrize(("name", "command"), _commands(), ids=lambda v: getattr(v, "name", v))
def test_every_command_and_option_is_in_the_readme(name: str, command: click.Command) -> None:
    assert f"arxiv-digest {name}" in README or f"`{name}" in README, name
    for param in command.params:
        if isinstance(param, click.Option):
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in README, f"{name} {opt} is not documented in README.md"


def test_every_command_has_help() -> None:
    for name, command in _commands():
        assert command.help and command.help.strip(), name


def _registered_hooks() -> list[str]:
    class _Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml uses tags such as !ENV and python/name; read them as plain values.
    _Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    _Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=_Loader)
    return list(config["hooks"])


def test_every_hook_file_is_registered_and_documented() -> None:
    registered = _registered_hooks()
    on_disk = sorted(f"hooks/{p.name}" for p in (ROOT / "hooks").glob("*.py"))
    assert sorted(registered) == on_disk
    for hook in on_disk:
        assert f"`{Path(hook).name}`" in README, f"{hook} is not described in README.md"


def test_readme_quick_start_is_what_ci_runs() -> None:
    quick = re.findall(r"^python3 scripts/dev\.py (\w+)", README, flags=re.M)
    assert quick[:2] == ["serve", "test"]
    assert "python3 scripts/dev.py test" in (ROOT / ".ci" / "run").read_text("utf-8")
