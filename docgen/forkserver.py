"""Preloaded by the build's forkserver only: it dies with the build that started it.

The worker processes are the forkserver's children and hold a pipe that keeps it alive, so
without this a build killed outright (SIGKILL) leaves the forkserver and its workers running
(a runaway template's worker for good).  Here the forkserver dies with the build, and each
worker, which asks the same in its initializer, dies with the forkserver.
"""
from docgen.limits import die_with_parent

die_with_parent()
