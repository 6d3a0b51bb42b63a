"""Every run of an app (the original's two, the conversion's) under one hash seed: an app writing list(set(tags))
to a row answered its tags in an order Python's per-process seed chose, so the two runs of the original agreed on
some positions by chance and the conversion, doing the same, differed there (counted different, and silent)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from github_corpus import App, _run_python  # noqa: E402

ORDER = "import sys; print(list(set(sys.argv[1:])))"


def test_a_sets_order_is_the_same_in_every_run(tmp_path, monkeypatch):
    monkeypatch.delenv("PYTHONHASHSEED", raising=False)
    app = App("seeded", "a/b", "0" * 40, "3", [], [], [], "m:app")
    venv = Path(sys.executable).parent.parent
    tags = [f"tag{n}" for n in range(12)]
    orders = {_run_python(venv, ORDER, tags, app, tmp_path).stdout for _ in range(4)}
    assert len(orders) == 1, orders
    unseeded = {
        subprocess.run([sys.executable, "-c", ORDER, *tags], capture_output=True, text=True).stdout for _ in range(4)
    }
    assert len(unseeded) > 1  # what the runs had without it
