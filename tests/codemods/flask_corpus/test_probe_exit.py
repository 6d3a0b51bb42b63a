"""github_probes._PROBE: a route whose view exits the process (sys.exit: a factory called again in the view, its
config file missing) is one failed answer, and the probe still asks the other routes and prints its answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from github_probes import _PROBE  # noqa: E402

APP = """\
import sys
from flask import Flask

app = Flask(__name__)


@app.route("/a")
def exits():
    sys.exit()


@app.route("/b")
def answers():
    return "still here"
"""


def test_a_view_that_exits_is_one_failed_answer_and_the_other_routes_are_asked(tmp_path):
    (tmp_path / "probed_exit_app.py").write_text(APP)
    helpers = str(Path(__file__).parents[1] / "flask_to_fastapi")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, "flask", "probed_exit_app:app", "[]", "map", helpers],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout.strip().splitlines()[-1])
    assert answers["/a"][0] == 599
    assert answers["/b"][0] == 200 and "still here" in answers["/b"][3]
