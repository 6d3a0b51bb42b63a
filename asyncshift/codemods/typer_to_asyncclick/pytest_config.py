"""Whether the project's pytest config stops a run that pytest-asyncio starts with a warning.

The converted tests need pytest-asyncio. From 0.24 it warns when pytest starts, while the option
``asyncio_default_fixture_loop_scope`` is unset; a config whose ``filterwarnings`` turns warnings into errors
(``"error"``) makes that warning an INTERNALERROR before any test runs. Read from the nearest pytest.ini,
pyproject.toml (``[tool.pytest.ini_options]``), tox.ini or setup.cfg, up to the project's root.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from codemods.nearest import nearest

FILES = (("pytest.ini", "[pytest]"), ("pyproject.toml", "[tool.pytest.ini_options]"))
FILES += (("tox.ini", "[pytest]"), ("setup.cfg", "[tool:pytest]"))
_ERROR = re.compile(r"""^\s*(?:filterwarnings\s*=\s*\[?\s*)?["']?error["']?\s*(?:[,\]]|$)""", re.MULTILINE)
NOTE = (
    "the project's pytest config turns warnings into errors (filterwarnings = error): pytest-asyncio 0.24 and "
    "later warn at start while asyncio_default_fixture_loop_scope is unset, which then stops the run; set it "
    '(asyncio_default_fixture_loop_scope = "function")'
)


def stops_pytest_asyncio(source: str | None) -> bool:
    """Whether the pytest config around the file at ``source`` makes pytest-asyncio's start warning an error."""
    return bool(source) and _stops(str(Path(source).resolve().parent))


@functools.cache
def _stops(folder: str) -> bool:
    return bool(nearest(folder, _section_stops))


def _section_stops(directory: Path) -> bool | None:
    """True or False from the first file here with a pytest section; None when there is none."""
    for name, header in FILES:
        path = directory / name
        if not path.is_file():
            continue
        text = path.read_text(errors="replace")
        start = text.find(header)
        if start < 0:
            continue
        section = text[start + len(header) :]
        following = re.search(r"^\[(?!\s*['\"])", section, re.MULTILINE)  # the next section's header
        section = section[: following.start()] if following else section
        return bool(_ERROR.search(section)) and "asyncio_default_fixture_loop_scope" not in section
    return None
