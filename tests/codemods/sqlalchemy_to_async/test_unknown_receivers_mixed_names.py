"""``thing.add_label(...)`` on a value of unknown type, where one class of the run made ``add_label`` async and
another keeps a sync ``add_label``: the value may be either. Awaited through ``_awaited`` where code can await (a
sync method's value passes as it is), run to its end in a unittest test, on the serving loop in a helper that only
views held sync call (it runs in their thread), a TODO naming both where nothing can await. Before, the call was
left as it was with no word: the async class's coroutine was never awaited (the label never saved)."""

from __future__ import annotations

import asyncio
import io
import textwrap
import unittest

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD, unittest_cases

HEAD = """\
from sqlalchemy.orm import Session

session = Session()


class Labelled:
    def __init__(self):
        self.labels = []

    def add_label(self, label):
        self.labels.append(label)
        session.commit()
        return label


class Event:
    def __init__(self):
        self.labels = []

    def add_label(self, label):
        self.labels.append(label)
        return label


def pick(kind):
    return globals()[kind]()
"""
CONVERTED_HEAD = (
    HEAD.replace("from sqlalchemy.orm import Session", "from sqlalchemy.ext.asyncio import AsyncSession")
    .replace("session = Session()", "session = AsyncSession(expire_on_commit=False)")
    .replace(
        "    def add_label(self, label):\n        self.labels.append(label)\n        session.commit()",
        "    async def add_label(self, label):\n        self.labels.append(label)\n        await session.commit()",
    )
)
AWAITED = '''

async def _awaited(value):
    """What a wrapped function gave, awaited when it is a coroutine (written by asyncshift)."""
    import inspect

    return await value if inspect.isawaitable(value) else value
'''


def test_in_async_code_the_call_is_awaited_through_the_helper():
    source = HEAD + textwrap.dedent(
        """

        def mark(kind, label):
            thing = pick(kind)
            session.commit()
            return thing.add_label(label)
        """
    )
    expected = (
        CONVERTED_HEAD
        + AWAITED
        + textwrap.dedent(
            """

            async def mark(kind, label):
                thing = pick(kind)
                await session.commit()
                return await _awaited(thing.add_label(label))
            """
        )
    )
    after = check_transformed(CODEMOD, source, expected)

    class Session:  # the converted module's session, committing nothing
        async def commit(self):
            return None

    scope: dict = {"__name__": "labels"}
    exec(compile(after, "<converted>", "exec"), scope)
    scope["session"] = Session()
    assert asyncio.run(scope["mark"]("Labelled", "a")) == "a"  # the coroutine awaited
    assert asyncio.run(scope["mark"]("Event", "b")) == "b"  # the sync value as it is


def test_where_nothing_awaits_the_call_a_todo_names_both_classes():
    source = HEAD + textwrap.dedent(
        """

        def mark_later(thing, label):
            return thing.add_label(label)
        """
    )
    expected = CONVERTED_HEAD + textwrap.dedent(
        """

        def mark_later(thing, label):
            # TODO(asyncshift): thing.add_label() may be a coroutine now (Labelled.add_label became async, Event.add_label did not) and the type of 'thing' is not known here; 'mark_later' does not become async: await it in async code if it is
            return thing.add_label(label)
        """  # noqa: E501
    )
    check_transformed(CODEMOD, source, expected)


def test_a_unittest_test_runs_the_call_to_its_end():
    tests = """

class LabelTests(unittest.TestCase):
    def setUp(self):
        self.thing = pick("Labelled")

    def test_label(self):
        self.assertEqual({call}, "a")
"""
    helper = textwrap.dedent(unittest_cases.CODE.format(name="_run_to_end", marker=unittest_cases.SYNC_CALLER))
    imported, call = "\n\nimport unittest\n", 'self.thing.add_label("a")'
    after = check_transformed(
        CODEMOD,
        HEAD + imported + tests.format(call=call),
        CONVERTED_HEAD + imported + helper.rstrip("\n") + "\n" + tests.format(call=f"_run_to_end({call})"),
    )

    class Session:
        async def commit(self):
            return None

    scope: dict = {"__name__": "label_tests"}
    exec(compile(after, "<converted>", "exec"), scope)
    scope["session"] = Session()
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(scope["LabelTests"])
    result = unittest.TextTestRunner(stream=io.StringIO()).run(suite)
    assert result.wasSuccessful(), result.errors + result.failures


VIEW = """

class ThingResource(Resource):
    @staticmethod
    def _label(thing, label):
        thing.add_label(label)
        return True

    def post(self, kind):
        changed = self._label(pick(kind), "x")
        session.commit()
        return {"changed": changed}
"""


def test_a_helper_only_views_held_sync_call_runs_the_call_on_the_serving_loop():
    converted, _ = CODEMOD.apply("from flask_restful import Resource\n" + HEAD + VIEW)
    assert (
        "'ThingResource._label' is called by ThingResource.post only, which Flask calls without awaiting" in converted
    )
    assert "        _on_serving_loop(thing.add_label(label))\n" in converted


def test_a_helper_something_else_calls_too_gets_the_todo():
    other = "\n\ndef relabel(thing):\n    return ThingResource._label(thing, 'y')\n"
    converted, _ = CODEMOD.apply("from flask_restful import Resource\n" + HEAD + VIEW + other)
    assert "_on_serving_loop(thing.add_label" not in converted
    assert "# TODO(asyncshift): thing.add_label() may be a coroutine now (Labelled.add_label became async" in converted
