"""A differing answer is silent when its view's module has no TODO at a line: the note above the helper's import,
which every module importing the helper carries, names no line and does not count (with it no answer was ever
silent)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from github_corpus import _todo_modules  # noqa: E402

HELPER_IMPORT = (
    "# TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; "
    "end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state\n"
    "from ._flask_compat import init_app\n"
)


def test_only_todos_at_a_line_count(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text(HELPER_IMPORT)
    (tmp_path / "pkg" / "views.py").write_text(HELPER_IMPORT + "x = request.environ  # TODO(asyncshift): WSGI-only\n")
    assert _todo_modules(tmp_path) == {"pkg": 0, "pkg.views": 1}
