"""admin-assistant's own Flask web layer, converted with --out, passes the application's HTTP suite.

The same run by hand:
    asyncshift codemod run flask-to-fastapi src/admin_assistant/sync/web --out /tmp/aaweb/web
    CONVERTED_WEB=/tmp/aaweb/web PYTHONPATH=tests/codemods/flask_to_fastapi \\
        .venv/bin/python -m pytest -p converted_web_plugin tests/web -k sqlite-flask
No hand edits: the suite's ``flask`` variant serves the conversion (``converted_web_plugin``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from codemods import runner

ROOT = Path(__file__).resolve().parents[3]
WEB = ROOT / "src/admin_assistant/sync/web"
absent = pytest.mark.skipif(
    not (WEB.is_dir() and (ROOT / "tests/web").is_dir()), reason="src/admin_assistant/sync/web or tests/web is absent"
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    out = tmp_path_factory.mktemp("aaweb") / "web"
    result = runner.run("flask-to-fastapi", [WEB], out=out)
    assert result.count(runner.FAILED) == 0
    return out


@absent
def test_admin_web_converts_without_todos_on_its_code(converted):
    assert (converted / "_flask_compat" / "__init__.py").exists()
    left = [
        line
        for f in converted.glob("*.py")
        for line in f.read_text().splitlines()
        if "TODO(asyncshift)" in line and "_flask_compat/ (written with the converted" not in line
    ]
    assert left == []


@absent
def test_admin_web_conversion_passes_the_http_suite(converted):
    env = {**os.environ, "CONVERTED_WEB": str(converted), "PYTHONPATH": str(Path(__file__).parent)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "converted_web_plugin",
            "tests/web",
            "-k",
            "sqlite-flask",
            "-p",
            "no:cacheprovider",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "failed" not in done.stdout.splitlines()[-1]
