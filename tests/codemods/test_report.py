"""The run's report: notes and statuses as JSON, and the one-paragraph summary."""

from __future__ import annotations

import json

import pytest
from codemod_helpers import write_tree

from codemods import registry, report, runner


@pytest.fixture(autouse=True)
def toy_codemod(monkeypatch):
    monkeypatch.setitem(registry.CODEMODS, "toy", "codemod_helpers:TOY")


def test_notes_and_json_report(tmp_path):
    write_tree(tmp_path, {"a.py": "old_name  # note-me\n"})
    result = runner.run("toy", [tmp_path], write=False)
    target = tmp_path / "r" / "report.json"
    report.write_json(result, target)
    data = json.loads(target.read_text())
    assert data["summary"]["changed"] == 1
    assert data["files"][0]["notes"] == ["saw a note"]


def test_summary_says_no_files_were_modified(tmp_path):
    write_tree(tmp_path, {"a.py": "x\n"})
    text = report.summary(runner.run("toy", [tmp_path]), mode="write")
    assert "0 files changed" in text and "No files were modified." in text
