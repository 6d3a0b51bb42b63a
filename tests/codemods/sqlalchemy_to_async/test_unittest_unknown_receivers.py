"""A unittest test calling a method on an object of unknown type (``self.sender = registry.get("mail")`` in
``setUp``, a registry of classes) where the only methods of that name in the run became async: the call runs to
its end through ``_run_to_end`` (a sync value passes as it is), as the test's other coroutine calls do.

Before, a TODO said to await it in async code, and the test read the coroutine (``.split(" ")`` on it).
"""

from __future__ import annotations

import io
import textwrap
import unittest

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD, unittest_cases

HELPER = textwrap.dedent(unittest_cases.CODE.format(name="_run_to_end", marker=unittest_cases.SYNC_CALLER))
MODULE = """\
import unittest

from sqlalchemy.orm import Session


class Registry:
    def __init__(self):
        self.senders = {}

    def add(self, name, cls):
        self.senders[name] = cls

    def get(self, name):
        return self.senders[name]()


class MailSender:
    def deliver(self, session: Session, text):
        session.commit()
        return text.upper()


registry = Registry()
registry.add("mail", MailSender)
"""
TESTS = """

class SenderTests(unittest.TestCase):
    def setUp(self):
        self.sender = registry.get("mail")

    def test_deliver(self):
        result = {call}.split(" ")
        self.assertEqual(result, ["HI"])
"""


def test_a_unittest_test_runs_a_method_of_an_unknown_receiver_to_its_end():
    after = check_transformed(
        CODEMOD,
        MODULE + TESTS.format(call='self.sender.deliver(Session(), "hi")'),
        MODULE.replace("from sqlalchemy.orm import Session", "from sqlalchemy.ext.asyncio import AsyncSession")
        .replace("def deliver(self, session: Session", "async def deliver(self, session: AsyncSession")
        .replace("session.commit()", "await session.commit()")
        + HELPER.rstrip("\n")
        + "\n"
        + TESTS.format(call='_run_to_end(self.sender.deliver(AsyncSession(expire_on_commit=False), "hi"))'),
    )
    scope: dict = {"__name__": "sender_tests"}
    exec(compile(after, "<converted>", "exec"), scope)
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(scope["SenderTests"])
    result = unittest.TextTestRunner(stream=io.StringIO()).run(suite)
    assert result.wasSuccessful(), result.errors + result.failures
