"""github_venvs: an app's ``post_install`` pip calls run last in its original venv and again in the converted copy."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).parent))

import github_venvs  # noqa: E402

STEP = ["--no-deps", "--force-reinstall", "--no-build-isolation", "misaka==2.1.1"]


def _fake_build(monkeypatch, calls: list) -> None:
    def venv(args, **kwargs):  # python -m venv PATH: a folder with a bin/python
        (Path(args[-1]) / "bin").mkdir(parents=True)
        (Path(args[-1]) / "bin" / "python").write_text("")

    monkeypatch.setattr(github_venvs, "_python", lambda version: "python")
    monkeypatch.setattr(github_venvs.subprocess, "run", venv)
    monkeypatch.setattr(github_venvs, "_pip", lambda venv, *args, log: calls.append((venv.name, list(args))))
    monkeypatch.setattr(github_venvs, "_freeze", lambda venv: {})


def _app(**extra):
    fields = dict(name="app", commit="0123456789abcdef", python="3.9", requirements=[], pip=[], drop=[], build=[])
    return SimpleNamespace(**fields, **extra)


def test_post_install_runs_last_in_both_venvs(tmp_path, monkeypatch):
    calls: list = []
    _fake_build(monkeypatch, calls)
    monkeypatch.setattr(github_venvs, "CACHE", tmp_path)
    base = github_venvs.original_venv(_app(post_install=[STEP]), tmp_path)
    assert calls[-1] == (base.name, STEP)
    converted, _ = github_venvs.converted_venv(base, ["fastapi"], [STEP])
    assert calls[-2:] == [(converted.name, ["fastapi"]), (converted.name, STEP)]


def test_an_app_without_post_install_keeps_its_venv_key(tmp_path, monkeypatch):
    calls: list = []
    _fake_build(monkeypatch, calls)
    monkeypatch.setattr(github_venvs, "CACHE", tmp_path)
    plain = github_venvs.original_venv(_app(), tmp_path)
    assert STEP not in [args for _, args in calls]
    assert github_venvs.original_venv(_app(post_install=[]), tmp_path) == plain
    assert github_venvs.original_venv(_app(post_install=[STEP]), tmp_path) != plain  # a venv of its own
