"""The run's own top-level packages: a project's package is no Flask extension, whatever its name.

An extension without a conversion is told by its import name (``flask_*``, not among the converted ones). A
project's own package named so (``flask_notes``) was read as one: its blueprint's qualified name
(``flask_notes.views.bp``) taken for an extension's object, so the modules routing on it were left on Flask,
and its absolute imports of its own modules got an extension's TODO. The names of the run's modules (and the
module's own, when it is converted alone) are the project's.
"""

from __future__ import annotations

from codemods.flask_to_fastapi import passing


def of_files(files: list[tuple[str, str]]) -> frozenset[str]:
    """The top-level names of the run's modules (``project.discover``'s files: relative path, path on disk)."""
    return frozenset(passing.module_name(relative, disk).split(".")[0] for relative, disk in files)


def of_module(name: str, run_facts) -> frozenset[str]:
    """The module's own top-level package (``name``: its dotted name, "" when unknown) and the run's
    (``run_facts``: ``project.discover``'s, or None)."""
    return frozenset(getattr(run_facts, "packages", ())) | ({name.split(".")[0]} - {""})
