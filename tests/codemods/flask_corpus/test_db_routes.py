"""What the chain counts as a route (``github_chain.routes``): a test's ``@mock.patch`` is none, a view class's
verb-named method is one."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from github_chain import routes  # noqa: E402

VIEWS = """
from flask.views import MethodView
from flask_restful import Resource


@bp.get("/a")
def plain():
    return "a"


class Items(MethodView):
    def get(self):
        return "items"

    def helper(self):
        return 1


class Item(Resource):
    async def post(self, item_id):
        return item_id


class NotAView:
    def get(self):
        return None
"""

TESTS = """
from unittest import mock


@mock.patch("app.views.thing")
def test_thing(thing):
    pass


class ThingTest:
    @mock.patch("app.views.other")
    def test_other(self, other):
        pass
"""


def test_routes_are_decorated_functions_and_view_class_verbs(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "views.py").write_text(VIEWS)
    found = routes(tmp_path, ["app"])
    assert sorted(found) == ["app/views.py:Item.post", "app/views.py:Items.get", "app/views.py:plain"]
    assert found["app/views.py:Item.post"].is_async


def test_functions_of_test_modules_are_no_routes(tmp_path: Path) -> None:
    (tmp_path / "app" / "tests").mkdir(parents=True)
    for name in ("app/views_test.py", "app/test_views.py", "app/conftest.py", "app/tests/helpers.py"):
        (tmp_path / name).write_text(TESTS)
    assert routes(tmp_path, ["app"]) == {}
