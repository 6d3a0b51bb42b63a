"""What a bare ``Mock()`` lands in (``mocks.landing_kind``): the values the run hands an unannotated parameter are
read once per parameter in a run. Each argument landing in it read them all again, so a test base's helper called
from every test (``self.get(path)``, thousands of times in a large suite) cost calls times calls."""

from __future__ import annotations

import sys
from collections import Counter

from codemod_helpers import write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import handed_params

APP = """\
from sqlalchemy.orm import Session


def save(session: Session, item):
    session.add(item)
    session.commit()
"""

BASE = """\
from unittest import TestCase

from app.store import save


class ApiTestCase(TestCase):
    def get(self, path, code=200):
        return self.client.get(path, code)

    def post(self, path, data, code=201):
        save(self.session, data)
        return self.client.post(path, data, code)
"""

TESTS = """\
from app.store import save
from tests.base import ApiTestCase


class RoutesTestCase(ApiTestCase):
    def test_save(self):
        save(self.session, 1)

{}
"""


def test_the_values_handed_a_parameter_are_read_once_per_run_by_the_mock_rules(tmp_path, monkeypatch):
    tests = "\n".join(
        f"    def test_{i}(self):\n        path, data = '/data', {{'n': {i}}}\n        self.get(path)\n"
        f"        self.post(path, data)\n"
        for i in range(12)
    )
    files = {"app/__init__.py": "", "app/store.py": APP, "tests/__init__.py": "", "tests/base.py": BASE}
    write_tree(tmp_path, {**files, "tests/test_routes.py": TESTS.format(tests)})
    asked = Counter()
    typed = handed_params.typed

    def counted(types, func, name):
        if sys._getframe(1).f_globals["__name__"].endswith(".mocks"):
            asked[func.qualname, name] += 1
        return typed(types, func, name)

    monkeypatch.setattr(handed_params, "typed", counted)
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    assert asked["ApiTestCase.get", "path"] >= 1
    assert max(asked.values()) == 1, asked
