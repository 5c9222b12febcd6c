"""What the ``docgen`` commands share: the session (workspace) and the options parsed alike."""
from __future__ import annotations

from pathlib import Path

import click

from docgen.errors import ConfigError
from docgen.render.writers import formats
from docgen.workspace import CONFIG_NAME, Workspace, find_workspace


class Session:
    """The workspace a command works on, opened on first use."""

    def __init__(self, root: Path | None) -> None:
        self.root_option = root
        self._ws: Workspace | None = None
        self.verbosity = 0  # -1 quiet, 0 normal, 1+ verbose

    @property
    def root(self) -> Path:
        return self.root_option or find_workspace(Path.cwd())

    def workspace(self, strict: bool = False) -> Workspace:
        if self._ws is None:
            self._ws = Workspace.open(self.root, strict=strict)
            for w in self._ws.warnings:
                click.echo(str(w), err=True)
        return self._ws


    def report_plan_warnings(self, years: set[int]) -> None:
        """Print the plans' load warnings (unknown keys …) of these years to stderr, as ``validate`` would."""
        from docgen.validate import plan_load_warnings

        for w in plan_load_warnings(self.workspace(), sorted(years)):
            click.echo(str(w), err=True)


def use_output(ws: Workspace, output: Path | None) -> Workspace:
    """``-o/--output``: the workspace with its output folder (and so its build manifest) moved there."""
    if output is not None:
        paths = ws.config.paths.model_copy(update={"output": str(output.resolve())})
        ws.config = ws.config.model_copy(update={"paths": paths})
    return ws


def parse_formats(text: str | None, ws: Workspace) -> tuple[str, ...]:
    if not text:
        return tuple(ws.config.formats)
    wanted = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    bad = [f for f in wanted if f not in formats()]
    if bad:
        raise ConfigError(f"--format: unknown format {', '.join(bad)}; choose from {', '.join(formats())}")
    return wanted


def verbosity(command):
    """``-q/--quiet`` and ``-v/--verbose`` on a command; the level is kept on the :class:`Session`."""
    def keep(ctx: click.Context, param: click.Parameter, value: int) -> None:
        if value:
            ctx.find_object(Session).verbosity = -1 if param.name == "quiet" else value
    command = click.option("-v", "--verbose", count=True, expose_value=False, callback=keep,
                           help="More detail where a command has it (render: each file's size).")(command)
    return click.option("-q", "--quiet", count=True, expose_value=False, callback=keep,
                        help="Print only problems.")(command)


def require_font(ws: Workspace, formats: tuple[str, ...]) -> None:
    """PDF without the CJK font would show empty boxes: refuse, naming the fix (the doctor's check)."""
    from docgen.doctor import as_user, font_found
    from docgen.errors import MissingDependency

    if "pdf" in formats and not font_found(ws.font_family):
        raise MissingDependency(
            f"PDF needs the Chinese font {ws.font_family!r}, which fontconfig does not find (Chinese would print as "
            f"empty boxes); install it: {as_user('apt-get install -y fonts-noto-cjk')}, or set `font:` in "
            f"{CONFIG_NAME} to an installed CJK family (`fc-list :lang=zh family`); `docgen doctor` checks")
