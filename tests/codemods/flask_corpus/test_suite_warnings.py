"""The harnesses run an app's own suite under its own warning filters unless told otherwise (issue 20): a
project whose pytest config makes warnings errors is measured under that rule, the original and the
conversion alike; ``CORPUS_WARNINGS=ignore`` is the old ``-W ignore``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import measure  # noqa: E402
import suite_warnings  # noqa: E402

WARNS = """\
import warnings


def test_warns():
    warnings.warn("old API", DeprecationWarning)
"""


def _outcome(folder: Path, out: Path) -> str:
    records, failed = measure.run_tests(folder, "flask", out)
    assert not failed
    return dict(records["__outcomes__"])["test_warns.py::test_warns"]


def test_a_suite_whose_config_makes_warnings_errors_fails_on_a_warning(tmp_path, monkeypatch):
    # pytest-asyncio, where installed, warns at start-up when its loop scope is not set: not this test's subject
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = -p no:asyncio\nfilterwarnings =\n    error\n")
    (tmp_path / "test_warns.py").write_text(WARNS)
    monkeypatch.delenv("CORPUS_WARNINGS", raising=False)
    assert _outcome(tmp_path, tmp_path / "project.json") == "failed"
    monkeypatch.setenv("CORPUS_WARNINGS", "ignore")
    assert _outcome(tmp_path, tmp_path / "ignore.json") == "passed"


def test_a_suite_without_warning_filters_passes_either_way(tmp_path, monkeypatch):
    (tmp_path / "test_warns.py").write_text(WARNS)
    monkeypatch.delenv("CORPUS_WARNINGS", raising=False)
    assert _outcome(tmp_path, tmp_path / "project.json") == "passed"


def test_the_error_probe_makes_every_warning_an_error(tmp_path, monkeypatch):
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = -p no:asyncio\n")  # its start-up warning (above)
    (tmp_path / "test_warns.py").write_text(WARNS)
    monkeypatch.setenv("CORPUS_WARNINGS", "error")
    assert _outcome(tmp_path, tmp_path / "error.json") == "failed"


def test_an_unknown_mode_is_refused(monkeypatch):
    monkeypatch.setenv("CORPUS_WARNINGS", "errors")
    with pytest.raises(SystemExit, match="project, ignore, error"):
        suite_warnings.pytest_args()


def test_the_warnings_pytest_counted():
    assert suite_warnings.count("==== 2 failed, 19 passed, 36 warnings in 5.10s ====") == 36
    assert suite_warnings.count("41 passed, 1 warning in 9.03s") == 1
    assert suite_warnings.count("6 passed in 1.54s") == 0


def test_the_report_names_the_warnings_a_conversion_adds(capsys):
    import github_corpus

    results = [github_corpus.Result("app", warnings=(32, 36)), github_corpus.Result("other", warnings=(3, 3))]
    github_corpus.report(results)
    shown = capsys.readouterr().out
    assert "warnings in the tests: original 32, converted 36" in shown
    assert shown.count("warnings in the tests") == 1


def test_coroutines_never_awaited_are_named_once_each_commonest_first():
    output = (
        "tests/test_a.py::test_x\n  RuntimeWarning: coroutine 'CRUDMixin.save' was never awaited\n"
        "tests/test_b.py::test_y\n  RuntimeWarning: coroutine 'User.socialize' was never awaited\n"
        "tests/test_c.py::test_z\n  RuntimeWarning: coroutine 'CRUDMixin.save' was never awaited\n"
        "3 passed, 3 warnings in 1.20s\n"
    )
    assert suite_warnings.never_awaited(output) == ["CRUDMixin.save", "User.socialize"]
    assert suite_warnings.never_awaited("3 passed in 1.20s\n") == []


def test_the_report_names_them_and_counts_them_in_the_total(capsys):
    import github_corpus

    github_corpus.report([github_corpus.Result("app", requests=1, same=1, never_awaited=["CRUDMixin.save"])])
    out = capsys.readouterr().out
    assert "coroutines never awaited in the converted tests: 1: CRUDMixin.save" in out
    assert "coroutines never awaited 1," in out
