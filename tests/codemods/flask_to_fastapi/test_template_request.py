"""Templates read Flask's ``request``: ``endpoint``, ``args.get(..., type=int)``, ``full_path``, in macros too.

Templates are not rewritten: an imported macro (``{% from 'macros.html' import nav_item %}``, as
Bootstrap-Flask's ``render_nav_item``) sees only the environment's globals, where Flask puts ``request``;
without it, or with Starlette's request in its place, the page answered 500.
"""

from __future__ import annotations

from pathlib import Path

from side_by_side import assert_same, convert_tree, load

FIXTURES = Path(__file__).parent / "fixtures"


def test_templates_read_flasks_request_in_pages_and_imported_macros(tmp_path):
    convert_tree(FIXTURES / "templated", tmp_path / "templated")
    flask_app = load(FIXTURES / "templated", "app")
    fastapi_app = load(tmp_path / "templated", "app")
    assert_same(
        flask_app,
        fastapi_app,
        [
            ("GET", "/"),
            ("GET", "/about?page=4&tag=a&tag=b"),
            ("GET", "/about?page=x"),
        ],
    )
