"""Batch builds: which documents are due, which changed, and running them.

A build is a flat graph of independent jobs, one per (document, period,
region/person), each a pure function of its inputs.  The parent process plans the
targets (:mod:`.targets`) and skips those whose files have not changed since the
manifest recorded them (a cheap look at sizes and modification times, :mod:`.fingerprint`).
The rest go to an executor (in-process, a process pool, or a Dask cluster, :mod:`.executors`)
as tasks: the worker prepares the document (reads its data, :mod:`.jobs`), hashes what it read
and its templates, renders only the formats whose hash differs from the manifest's, and sends
the bytes back; only the parent writes (:mod:`.run`).  So workers never touch the output folder,
and the manifest (:mod:`.manifest`), written by one process, can be kept true at every moment:

* every output file is written atomically (a temporary file, then a rename);
* a manifest entry is dropped *and saved* before its file is overwritten, and
  added only after its file is on disk; so a killed run leaves a manifest that
  lists a subset of the files, each with its true hash;
* on load, entries whose file is missing or differs are dropped anyway (a file
  edited or deleted by hand is rebuilt).

This package's root is its public surface: the names below.
"""
from docgen.build.executors import (
    ClusterLost,
    DaskExecutor,
    Executor,
    Outcome,
    ProcessExecutor,
    SerialExecutor,
    Task,
    make_executor,
)
from docgen.build.failures import Failure, failure_reason
from docgen.build.manifest import MANIFEST_NAME, Manifest, OutputLocked
from docgen.build.run import BuildResult, Reporter, build
from docgen.build.targets import due_targets, fiscal_months, month_end_targets

__all__ = [
    "MANIFEST_NAME",
    "BuildResult",
    "ClusterLost",
    "DaskExecutor",
    "Executor",
    "Failure",
    "Manifest",
    "Outcome",
    "OutputLocked",
    "ProcessExecutor",
    "Reporter",
    "SerialExecutor",
    "Task",
    "build",
    "due_targets",
    "failure_reason",
    "fiscal_months",
    "make_executor",
    "month_end_targets",
]
