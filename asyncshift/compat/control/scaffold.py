"""The two files ``asyncshift init`` writes from what it found: the flags file, with every target
known and each phase at ``sync``, and the ``[tool.asyncshift]`` table.

Only the phases get a stage: a leaf listed at ``sync`` would outrank its phase, so ``flags set
repositories shadow`` would then move nothing. Leaves are declared in ``known_targets``, where a
typo in any verb is refused. The text is validated with ``compat.flags.parse_flags`` before it is
written, so what ``init`` writes passes ``asyncshift flags check``.
"""

from __future__ import annotations

import json

from compat.control.discovery import Discovery, Found
from compat.flags import parse_flags

TOOLKIT_DATABASE = "sqlite:///asyncshift.db"

PHASE_NOTES = {
    "repositories": "phase 1: database access",
    "services": "phase 2: services and orchestrators",
    "web": "phase 3: HTTP routes and pages",
    "cli": "phase 3: command line",
    "jobs": "phase 4: scheduled jobs",
}

HEADER = """\
# asyncshift feature flags for {project} (schema v1), written by `asyncshift init`.
#
# Running processes pick up a change to this file within a second, without a restart. A bad edit
# is reported as "feature_flags.yaml:LINE: problem; fix" and ignored: the last good version stays
# in force. Check an edit with `asyncshift flags check`, see every target with `asyncshift flags
# show`, and prefer `asyncshift flags set TARGET STAGE`, which validates and keeps these comments.
#
# Stages, for `default` and every target:
#   sync    old (sync) path serves; nothing else runs        (not moved yet)
#   shadow  old path serves; new (async) path runs too, compared; users see the old answer
#   live    new path serves; old path runs too, compared; users see the new answer
#   async   new path serves; nothing else runs               (moved)

# Schema version of this file; asyncshift reads version 1.
version: 1

# The big switch: true sends EVERY target back to `sync` at once (`asyncshift rollback`); `false`
# (`asyncshift rollback --undo`) restores the stages below as they were.
rollback: false

# Stage of every target that no key under `targets` covers.
default: sync
"""

FOOTER = """
# How the checking side runs for targets at `shadow` or `live`.
shadow:
  # Share of calls (0..1) that also run the checking side; 1.0 checks every call.
  sample_rate: 1.0
  # Seconds the checking side may take before it is abandoned (and recorded as a timeout).
  timeout: 2.0
  # Fields left out when the two answers are compared, e.g. [updated_at, etag].
  ignore_fields: []

# Promotion gates, read by `asyncshift promote`: a target advances a stage only when its recent
# runs meet them. Keys: `default` or a target name (most specific wins, field by field).
gates:
  default:
    # Compared runs needed before any promotion.
    min_runs: 1000
    # Highest share (0..1) of compared runs whose answers may differ.
    max_mismatch_rate: 0.001
    # Highest share (0..1) of compared runs where the new path failed and the old one did not.
    max_error_rate_increase: 0.0
    # Highest ratio of the new path's p99 latency to the old path's.
    max_p99_ratio: 1.2
"""


def _why(found: Found) -> str:
    if found.kind in ("repository", "service"):
        return f"{found.where.split(':')[0]} ({found.detail})"
    if found.kind in ("web-app", "web-factory"):
        return f"the Flask app: {found.what}" + (f", {found.detail}" if found.detail else "")
    if found.kind == "blueprint":
        return f"{found.detail} ({found.where})"
    if found.kind in ("command", "command-group"):
        return f"'{found.what}' ({found.where})" + (
            ", and every command under it" if found.kind == "command-group" else ""
        )
    if found.kind == "job":
        return f"{found.detail} ({found.where})"
    return found.where


def flags_text(discovery: Discovery, project: str) -> str:
    """The flags file for ``discovery``, validated (raises ``FlagsError`` on a bug here)."""
    lines = [HEADER.format(project=project)]
    known = discovery.known_targets()
    if known:
        lines.append(
            f"# The targets `asyncshift init` found in {project}, with where each was found: `flags set`,\n"
            "# `promote`, `compare`, `report` and the keys under `targets` and `gates` refuse any other\n"
            "# name. A phase above a name is known too; `prefix.*` covers every name under it. Add a\n"
            "# target here when the code gains one.\n"
            "known_targets:"
        )
        by_target = {}
        for found in discovery.found:
            if found.target and found.target not in by_target:
                by_target[found.target] = found
        width = max(len(name) for name in known) + 4
        for name in known:
            lines.append(f"  - {name.ljust(width)}# {_why(by_target[name])}")
        lines.append("")
    lines.append(
        "# Stage per target: a dotted name, where the most specific key wins (`repositories.x` overrides\n"
        "# `repositories`). One phase of the migration plan per top-level name, in the plan's order:"
    )
    phases = discovery.phases()
    if phases:
        lines.append("targets:")
        width = max(len(p) for p in phases) + 1
        for phase in phases:
            lines.append(f"  {(phase + ':').ljust(width)} sync   # {PHASE_NOTES.get(phase, phase)}")
    else:
        lines.append("targets: {}")
    text = "\n".join(lines) + "\n" + FOOTER
    parse_flags(text, "feature_flags.yaml")
    return text


def _toml(value: object) -> str:
    """A TOML value: strings and lists of strings (JSON's escapes are TOML's for these)."""
    return json.dumps(value, ensure_ascii=False)


def toml_table(discovery: Discovery) -> str:
    """``[tool.asyncshift]`` (and ``[tool.asyncshift.databases]``) for ``discovery``."""
    lines = [
        "[tool.asyncshift]",
        "# Written by `asyncshift init` (docs/migration-recipe.md in asyncshift). The toolkit keeps its",
        "# own tables (side-by-side records, job claims) in `database`, creating them itself: the",
        "# application's migrations are never edited. Use PostgreSQL when processes on several hosts share it.",
        f"database = {_toml(TOOLKIT_DATABASE)}",
    ]
    if discovery.old:
        new = discovery.old.rstrip("/") + "_aio"
        lines += [
            f"old = {_toml(discovery.old)}   # where repositories/ and services/ are",
            f"new = {_toml(new)}   # their twin on the new stack (codemod run --twin); change both names together",
        ]
    web = [f.what for f in discovery.of("web-factory", "web-app")]
    cli = [f.what for f in discovery.of("typer", "click")]
    if web:
        lines.append(f"web = {_toml(web)}")
    if cli:
        lines.append(f"cli = {_toml(cli)}")
    phases = discovery.phases()
    if phases:
        lines.append(f"phases = {_toml(phases)}")
    if discovery.databases:
        lines += [
            "",
            "[tool.asyncshift.databases]",
            "# The application's databases, as its code reads them: the first variable set wins, else the default.",
        ]
        for db in discovery.databases:
            spec = {}
            if db.env:
                spec["env"] = db.env[0]
            if db.default:
                spec["default"] = db.default
            body = ", ".join(f"{k} = {_toml(v)}" for k, v in spec.items())
            lines.append(f"# {db.name}: {db.via} at {', '.join(db.where)}")
            for env, default in db.alternatives:
                lines.append(f"#   another config reads {env}" + (f" (default {default})" if default else ""))
            if body:
                lines.append(f"{db.name} = {{ {body} }}")
            else:
                lines.append(f"# {db.name}: its URL is not written in the code; set it here by hand")
    return "\n".join(lines) + "\n"
