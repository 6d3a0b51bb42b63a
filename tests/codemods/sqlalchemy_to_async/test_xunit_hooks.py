"""pytest's xunit hooks (``setup_method``, ``teardown_method``) and nose's (``setUp``/``tearDown`` on a plain test
class, which pytest's nose support or the project's conftest calls) are called without awaiting: they stay sync.
A call in one that became a coroutine (``rebuild_db()`` dropping and creating the tables) was left unawaited with a
TODO, so it never ran: every test found the rows of the one before, or no tables. It runs to its end there
(``_run_to_end``, as in a unittest ``TestCase``'s ``setUp``), with the TODO saying it blocks."""

from __future__ import annotations

from codemods.sqlalchemy_to_async import CODEMOD

SOURCE = """\
from sqlalchemy import text
from sqlalchemy.orm import Session

session = Session()


def rebuild_db():
    session.execute(text("delete from project"))
    session.commit()


class Test(object):
    def setUp(self):
        rebuild_db()

    def tearDown(self):
        session.close()


class TestProjects(Test):
    def setup_method(self):
        rebuild_db()

    def test_none(self):
        assert session.execute(text("select count(*) from project")).scalar() == 0
"""


def _todo(hook: str) -> str:
    return (
        f"        # TODO(asyncshift): rebuild_db() is a coroutine now, but '{hook}' is called by pytest, which does "
        "not await it (an async autouse fixture can): it runs to its end here (_run_to_end), blocking while an "
        "event loop runs in this thread; move it out to an async caller that awaits it\n"
        "        _run_to_end(rebuild_db())\n"
    )


def test_a_coroutine_an_xunit_hook_calls_runs_to_its_end():
    after, _ = CODEMOD.apply(SOURCE)
    assert "\nasync def rebuild_db():\n" in after
    assert "    def setUp(self):\n" + _todo("setUp") in after
    assert "    def setup_method(self):\n" + _todo("setup_method") in after
    assert "    def tearDown(self):\n" in after  # stays sync
    assert "    async def test_none(self):\n" in after  # the test awaits
    assert "\ndef _run_to_end(value):\n" in after
    compile(after, "<fixture>", "exec", dont_inherit=True)
    assert CODEMOD.apply(after)[0] == after  # a second run changes nothing
