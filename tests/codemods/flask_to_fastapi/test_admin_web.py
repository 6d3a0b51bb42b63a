"""admin-assistant's own Flask web layer, converted with --out: every file converts and the package imports.

The HTTP suite against the conversion (``tests/web`` with its ``flask`` variant swapped) runs by hand:
    asyncshift codemod run flask-to-fastapi src/admin_assistant/sync/web --out /tmp/aaweb/web
    CONVERTED_WEB=/tmp/aaweb/web PYTHONPATH=tests/codemods/flask_to_fastapi \\
        .venv/bin/python -m pytest -p converted_web_plugin tests/web -k sqlite-flask
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from codemods import runner

ROOT = Path(__file__).resolve().parents[3]
WEB = ROOT / "src/admin_assistant/sync/web"


@pytest.mark.skipif(not (WEB.is_dir() and (ROOT / "tests/web").is_dir()), reason="src/admin_assistant/sync/web or tests/web is absent")
def test_admin_web_converts_and_imports(tmp_path):
    result = runner.run("flask-to-fastapi", [WEB], out=tmp_path / "web")
    assert result.count(runner.FAILED) == 0
    assert (tmp_path / "web/_flask_compat.py").exists()
    script = (
        "import sys, warnings; warnings.simplefilter('ignore')\n"
        "import importlib.util\n"
        "spec = importlib.util.spec_from_file_location('admin_assistant.sync.web', sys.argv[1] + '/__init__.py', submodule_search_locations=[sys.argv[1]])\n"
        "module = importlib.util.module_from_spec(spec); sys.modules[spec.name] = module; spec.loader.exec_module(module)\n"
        "print(callable(getattr(module, 'create_app', None)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "web")], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True"]
