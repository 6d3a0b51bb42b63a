"""An app in a src layout (its package under src/, its tests at the root importing it by name): the folders its
``path`` names are on sys.path in every run (the probe, both test runs), after the app's root and before the
harness, as pytest's pythonpath option puts them; without them the probe could not import the app at all."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from github_corpus import App, _run_python  # noqa: E402

IMPORT = "import layered; print(layered.__file__)"


def test_a_src_layouts_package_imports_in_the_apps_runs(tmp_path):
    (tmp_path / "src" / "layered").mkdir(parents=True)
    (tmp_path / "src" / "layered" / "__init__.py").write_text("")
    app = App("layered", "a/b", "0" * 40, "3", [], ["src/layered"], [], "layered:app", path=["src"])
    venv = Path(sys.executable).parent.parent
    done = _run_python(venv, IMPORT, [], app, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "src" / "layered" / "__init__.py")
