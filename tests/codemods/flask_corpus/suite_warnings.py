"""Under which warning filters the corpus harnesses run an app's own tests: the original's and the converted
suite's runs alike (like for like), so a figure is measured under the same rules on both sides.

``CORPUS_WARNINGS=project`` (the default): the harness adds no filter of its own, so each suite runs under its
project's (``filterwarnings`` in its pytest config, ``-W`` in its ``addopts``, its ``filterwarnings`` marks);
a project whose config says ``error`` fails a test on a warning the converted code raises where the original
raised none, as it would in the project's own CI.
``CORPUS_WARNINGS=ignore``: ``-W ignore``, as the harnesses ran before: pytest applies its command line's
filters after the config's, so every warning was ignored, the ones the project makes errors too (easier rules
than the project's own: a measure must not flatter the conversion, issue 20).
``CORPUS_WARNINGS=error``: ``-W error``, every warning an error on both sides whatever the project's config
ignores: stricter than any project, a probe for the warnings a conversion adds (a figure under it says so).
"""

from __future__ import annotations

import collections
import os
import re

MODES = {"project": [], "ignore": ["-W", "ignore"], "error": ["-W", "error"]}
LABELS = {
    "project": "the suites' own warning filters",
    "ignore": "every warning ignored (-W ignore)",
    "error": "every warning an error (-W error, stricter than the projects' own)",
}


def mode() -> str:
    chosen = os.environ.get("CORPUS_WARNINGS", "project") or "project"
    if chosen not in MODES:
        raise SystemExit(f"CORPUS_WARNINGS={chosen!r}: one of {', '.join(MODES)}")
    return chosen


def pytest_args() -> list[str]:
    """pytest's arguments for the chosen mode (none for the project's own filters)."""
    return list(MODES[mode()])


def label() -> str:
    """The mode as the reports print it."""
    return LABELS[mode()]


def count(output: str) -> int:
    """The warnings pytest's summary line counts (``2 failed, 19 passed, 36 warnings in 5.10s``); 0 for none."""
    found = re.findall(r"\b(\d+) warnings? in [\d.]+s", output)
    return int(found[-1]) if found else 0


def never_awaited(output: str) -> list[str]:
    """The coroutines a run made and dropped (``RuntimeWarning: coroutine 'CRUDMixin.save' was never awaited``), each
    name once, commonest first: work the converted code skipped (a write lost, a read answered by nothing) that no
    request comparison sees when the answer happens to be the same."""
    found = collections.Counter(re.findall(r"coroutine '([\w.<>]+)' was never awaited", output))
    return [name for name, _ in found.most_common()]
