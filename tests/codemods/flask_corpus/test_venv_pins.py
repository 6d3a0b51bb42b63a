"""github_venvs.pin_file: an app's lock file becomes pins pip reads, ``drop`` left out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).parent))

import github_venvs  # noqa: E402
from github_venvs import export, pin_file, setup_requires  # noqa: E402

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


def test_a_setup_py_is_read_for_its_install_requires(tmp_path):
    setup = 'requirements = ["Flask==1.1.2", "nose==1.3.7"]\nsetup(name="x", install_requires=requirements)\n'
    (tmp_path / "setup.py").write_text(setup)
    pins = pin_file(SimpleNamespace(drop=["nose"]), tmp_path, "setup.py")
    assert pins.read_text().split() == ["Flask==1.1.2"]
    assert setup_requires('setup(install_requires=["a>=1", "b"])') == ["a>=1", "b"]


def _git(folder, *args):
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout.strip()


def test_a_submodule_is_exported_from_its_own_mirror(tmp_path, monkeypatch):
    theme, app = tmp_path / "mirrors" / "o+theme" / "repo", tmp_path / "mirrors" / "o+app" / "repo"
    for repo in (theme, app):
        repo.mkdir(parents=True)
        _git(repo, "init", "-q")
    (theme / "page.html").write_text("<p>theme</p>")
    _git(theme, "add", "page.html")
    _git(theme, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "theme")
    (app / "app.py").write_text("app = 1\n")
    _git(app, "add", "app.py")
    _git(app, "update-index", "--add", "--cacheinfo", f"160000,{_git(theme, 'rev-parse', 'HEAD')},themes/default")
    _git(app, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "app")
    monkeypatch.setattr(github_venvs, "MIRRORS", tmp_path / "mirrors")
    spec = SimpleNamespace(repo="o/app", commit=_git(app, "rev-parse", "HEAD"), root="", submodules={})
    assert not (export(spec, tmp_path / "bare") / "themes" / "default" / "page.html").exists()
    spec.submodules = {"themes/default": "o/theme"}
    exported = export(spec, tmp_path / "out")
    assert (exported / "themes" / "default" / "page.html").read_text() == "<p>theme</p>"
