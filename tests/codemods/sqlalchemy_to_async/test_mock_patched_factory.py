"""``@patch("shop.features.Registry.instance")`` (or ``shop.views.make_feature``), a function of the run annotated as
giving an instance of a class of the run (``-> Feature``, an interface whose ``describe`` became async where a
subclass queries), and the test's bare ``MagicMock()`` put in place of what it gives
(``mock_instance.return_value = feature``): that mock stands for a ``Feature``, so it gets an ``AsyncMock`` for each
of its methods that became async, as one given by a patched classmethod of its own class does. Left a
``MagicMock``, ``feature.describe.return_value = "a box"`` made the converted ``await feature.describe(thing_id)``
a TypeError ('object str can't be used in 'await' expression'). A patched function giving no instance of a class
of the run (a name) leaves the mock as it was."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from codemod_helpers import write_tree

from codemods.runner import run

MODELS = """\
from sqlalchemy import Column, Integer, String, create_engine
from sqlalchemy.orm import declarative_base, scoped_session, sessionmaker

engine = create_engine("sqlite://")
db_session = scoped_session(sessionmaker(bind=engine))
Base = declarative_base()


class Thing(Base):
    __tablename__ = "things"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
"""

FEATURES = """\
from shop.models import Thing, db_session


class Feature:
    def describe(self, thing_id):
        raise NotImplementedError


class NameFeature(Feature):
    def describe(self, thing_id):
        return db_session.get(Thing, thing_id).name


class Registry:
    features = {"name": NameFeature}

    @classmethod
    def instance(cls, name: str) -> Feature:
        return cls.features[name]()

    @classmethod
    def label(cls, name: str) -> str:
        return name.title()


def make_feature(name: str) -> Feature:
    return Registry.instance(name)
"""

VIEWS = """\
from shop.features import Registry, make_feature


def describe(name, thing_id):
    feature = Registry.instance(name)
    return f"{Registry.label(name)}: {feature.describe(thing_id)}"


def describe_made(name, thing_id):
    return make_feature(name).describe(thing_id)
"""

TESTS = """\
import unittest
from unittest import mock

from shop import views


class DescribeTest(unittest.TestCase):
    @mock.patch("shop.features.Registry.label")
    @mock.patch("shop.features.Registry.instance")
    def test_describe(self, mock_instance, mock_label):
        feature = mock.MagicMock()
        feature.describe.return_value = "a box"
        mock_instance.return_value = feature
        label = mock.MagicMock()
        label.__format__ = lambda self, spec: "Name"
        mock_label.return_value = label
        self.assertEqual(views.describe("name", 1), "Name: a box")

    @mock.patch("shop.views.make_feature")
    def test_describe_made(self, mock_make):
        feature = mock.MagicMock()
        feature.describe.return_value = "a lid"
        mock_make.return_value = feature
        self.assertEqual(views.describe_made("name", 1), "a lid")
"""


def test_a_mock_given_by_a_patched_factory_gets_the_async_methods_of_what_it_gives(tmp_path):
    files = {"shop/models.py": MODELS, "shop/features.py": FEATURES, "shop/views.py": VIEWS}
    write_tree(tmp_path, {"shop/__init__.py": "", **files, "shop/views_test.py": TESTS})
    run("sqlalchemy-to-async", [tmp_path], write=True)
    converted = (tmp_path / "shop/views_test.py").read_text()
    assert converted.count("feature = mock.MagicMock(describe=AsyncMock())\n") == 2
    assert "        label = mock.MagicMock()\n" in converted  # it stands for a name, not a Feature
    assert "async def describe(name, thing_id)" in (tmp_path / "shop/views.py").read_text()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "shop/views_test.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, textwrap.shorten(done.stdout[-2000:], 2000)  # TypeError: 'str' awaited before
