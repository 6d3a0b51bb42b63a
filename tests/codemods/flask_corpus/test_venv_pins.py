"""github_venvs.pin_file: an app's lock file becomes pins pip reads, ``drop`` left out."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).parent))

from github_venvs import pin_file  # noqa: E402

POETRY_LOCK = """\
[[package]]
name = "flask"
version = "3.1.2"
groups = ["main"]

[[package]]
name = "ruff"
version = "0.5.7"
groups = ["dev"]

[metadata]
lock-version = "2.1"
"""


def test_a_poetry_lock_is_read_as_exact_pins(tmp_path):
    (tmp_path / "poetry.lock").write_text(POETRY_LOCK)
    pins = pin_file(SimpleNamespace(drop=[]), tmp_path, "poetry.lock")
    assert pins.read_text().split() == ["flask==3.1.2", "ruff==0.5.7"]


def test_a_poetry_lock_leaves_out_what_drop_names(tmp_path):
    (tmp_path / "poetry.lock").write_text(POETRY_LOCK)
    pins = pin_file(SimpleNamespace(drop=["ruff"]), tmp_path, "poetry.lock")
    assert pins.read_text().split() == ["flask==3.1.2"]
