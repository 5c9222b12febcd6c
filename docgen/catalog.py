"""What a workspace's documents are and where they stand: ``docgen list``, ``--dry-run``, ``output/index.html``.

It reads what :mod:`docgen.build` plans (the due targets) and records (the manifest); it never renders.
"""
from __future__ import annotations

from docgen.documents import Target


class ReportOnce:
    """A build reporter that prints a failure's reason once: documents failing for the same reason
    (one bad ledger line breaks every document reading that ledger) point back to the first."""

    def __init__(self, reporter) -> None:  # noqa: ANN001 - any docgen.build.Reporter
        self.reporter = reporter
        self.first: dict[str, Target] = {}

    def start(self, total: int) -> None:
        self.reporter.start(total)

    def built(self, target: Target, outputs: list[str]) -> None:
        self.reporter.built(target, outputs)

    def skipped(self, target: Target, outputs: list[str]) -> None:
        self.reporter.skipped(target, outputs)

    def failed(self, target: Target, reason: str) -> None:
        first = self.first.setdefault(reason, target)
        self.reporter.failed(target, reason if first == target else f"the same problem as {first.label()}")

    def finish(self) -> None:
        self.reporter.finish()
