"""A test base's helper calling a method on a parameter each test hands a model class (``model_cls.get_by_id(1)``,
``model_cls=Thing``), where that classmethod became async and a class elsewhere keeps a sync method of the same
name: the call runs to its end in a unittest method (``_run_to_end``), as the test's other coroutine calls do; a
pytest helper making it becomes async (``await _awaited(...)``: a sync value passes as it is) and its tests await
it. Before, the call was left as it was, without a TODO: the helper read its attributes off a coroutine
(``AttributeError: 'coroutine' object has no attribute 'name'``). A parameter handed a value of unknown type is
left to the rules for unknown receivers."""

from __future__ import annotations

import importlib.util
import io
import shutil
import sys
import unittest

from codemods.sqlalchemy_to_async import CODEMOD

MODELS = """\
import unittest

from sqlalchemy import Column, Integer, String, create_engine
from sqlalchemy.orm import declarative_base, scoped_session, sessionmaker

engine = create_engine("sqlite://")
db_session = scoped_session(sessionmaker(bind=engine))
Base = declarative_base()


class BaseModel:
    @classmethod
    def get_by_id(cls, model_id):
        return db_session.get(cls, model_id)


class Thing(BaseModel, Base):
    __tablename__ = "things"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


class Box(BaseModel, Base):
    __tablename__ = "boxes"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


class Catalog:
    def get_by_id(self, entry_id):
        return {"id": entry_id, "name": "entry"}
"""

UNITTEST = """

class ModelTest(unittest.TestCase):
    def tearDown(self):
        db_session.remove()

    def _check_stored(self, expected, model_cls=None):
        found = model_cls.get_by_id(1)
        for key, value in expected:
            self.assertEqual(getattr(found, key), value)


class ThingTest(ModelTest):
    def test_thing(self):
        self._check_stored([("name", "box")], model_cls=Thing)

    def test_box(self):
        self._check_stored([("name", "lid")], model_cls=Box)
"""

PYTEST = """

def stored(keys, model_cls):
    found = model_cls.get_by_id(1)
    return {key: getattr(found, key) for key in keys}


def entry(keys, catalog):
    return {key: catalog.get_by_id(1)[key] for key in keys}


def test_thing():
    assert stored(["name"], model_cls=Thing) == {"name": "box"}


def test_catalog():
    assert stored(["name"], Catalog()) == {"name": "entry"}


def test_entry(catalog):
    assert entry(["name"], catalog) == {"name": "entry"}
"""


def test_a_unittest_helper_runs_the_handed_class_method_to_its_end():
    converted, _ = CODEMOD.apply(MODELS + UNITTEST)
    assert "        found = _run_to_end(model_cls.get_by_id(1))\n" in converted
    assert '        self._check_stored([("name", "box")], model_cls=Thing)\n' in converted
    assert CODEMOD.apply(converted)[0] == converted


def test_a_pytest_helper_awaits_it_and_becomes_async():
    converted, _ = CODEMOD.apply(MODELS + PYTEST)
    assert "async def stored(keys, model_cls):\n    found = await _awaited(model_cls.get_by_id(1))\n" in converted
    assert '    assert await stored(["name"], model_cls=Thing) == {"name": "box"}\n' in converted
    assert '    assert await stored(["name"], Catalog()) == {"name": "entry"}\n' in converted
    assert "    return {key: catalog.get_by_id(1)[key] for key in keys}\n" in converted  # (a fixture's: unknown)
    assert (
        "catalog.get_by_id() may be a coroutine now (BaseModel.get_by_id became async, Catalog.get_by_id did not)"
        in converted
    )
    assert CODEMOD.apply(converted)[0] == converted


def _load(tmp_path, name, code):
    path = tmp_path / f"{name}.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _run(module):
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(module.ThingTest)
    result = unittest.TextTestRunner(stream=io.StringIO()).run(suite)
    return result.testsRun, [str(e[1]).strip().splitlines()[-1] for e in result.errors + result.failures]


def test_the_converted_unittest_tests_pass_as_the_original_did(tmp_path):
    database, copy = tmp_path / "things.db", tmp_path / "things-converted.db"
    source = (MODELS + UNITTEST).replace('"sqlite://"', f'"sqlite:///{database}"')
    original = _load(tmp_path, "handed_classes_original", source)
    try:
        original.Base.metadata.create_all(original.engine)
        original.db_session.add_all([original.Thing(name="box"), original.Box(name="lid")])
        original.db_session.commit()
        original.db_session.remove()
        shutil.copy(database, copy)
        assert _run(original) == (2, [])
        original.engine.dispose()
    finally:
        sys.modules.pop("handed_classes_original", None)

    converted, _ = CODEMOD.apply(source)
    module = _load(tmp_path, "handed_classes_converted", converted.replace(str(database), str(copy)))
    try:
        assert _run(module) == (2, [])  # AttributeError on a coroutine before
        module._run_to_end(module.engine.dispose())
    finally:
        sys.modules.pop("handed_classes_converted", None)
