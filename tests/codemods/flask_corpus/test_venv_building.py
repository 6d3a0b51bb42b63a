"""github_venvs.building: two runs sharing the venv cache build one venv once, and leave it whole."""

from __future__ import annotations

import shutil
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import github_venvs  # noqa: E402


def test_two_runs_making_one_converted_venv_at_once_copy_it_once_and_leave_it_whole(tmp_path, monkeypatch):
    base = tmp_path / "venvs" / "app-0123456789-abc"
    (base / "bin").mkdir(parents=True)
    (base / "bin" / "python").write_text("")
    (base / ".ready").write_text("")
    monkeypatch.setattr(github_venvs, "_freeze", lambda venv: {})
    copies, copy = [], shutil.copytree

    def slow_copy(source, *args, **kwargs):  # a real copy takes seconds: the second run arrives while it runs
        if Path(source) == base:  # copytree calls itself for each folder inside
            copies.append(source)
            time.sleep(0.3)
        return copy(source, *args, **kwargs)

    monkeypatch.setattr(github_venvs.shutil, "copytree", slow_copy)
    start, made, failed = threading.Barrier(2), [], []

    def run() -> None:
        start.wait()
        try:
            made.append(github_venvs.converted_venv(base, [])[0])
        except Exception as exc:
            failed.append(exc)

    runs = [threading.Thread(target=run) for _ in range(2)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join()
    assert failed == []
    assert len(copies) == 1
    assert made[0] == made[1] and (made[0] / "bin" / "python").exists() and (made[0] / ".ready").exists()
