"""A function handed to a caller that calls it in place, without awaiting (``re.sub(pattern, repl, s)``,
``sorted(key=...)``), stays sync; what it must await there runs to its end (``_run_to_end``), with a TODO, as in a
property (``python_calls``). ``re.sub``'s ``repl`` was not known as such: it became a coroutine function, re.sub
got a coroutine for the replacement ('expected str instance, coroutine found'); a sort key only got a TODO, its
coroutine compared (TypeError). A function handed to a thread or a loop keeps its TODO alone."""

from __future__ import annotations

import asyncio
import importlib.util
import sys

from codemods.sqlalchemy_to_async import CODEMOD, unittest_cases

SOURCE = """\
import re
import threading

from sqlalchemy import Column, Integer, String, create_engine, select
from sqlalchemy.orm import declarative_base, scoped_session, sessionmaker

engine = create_engine("sqlite://")
db_session = scoped_session(sessionmaker(bind=engine))
Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


def user_name(user_id):
    user = db_session.get(User, int(user_id))
    return user.name if user else None


def mention(match):
    return user_name(match.group(1)) or match.group()


def seniority(name):
    return db_session.scalar(select(User.id).where(User.name == name))


def beat():
    db_session.commit()


def expand(text):
    return re.sub(r"@(\\d+)", mention, text)


def expand_counted(text):
    return re.subn(r"@(\\d+)", mention, text)


def by_seniority(names):
    return sorted(names, key=seniority)


def later():
    threading.Timer(5.0, beat).start()
"""


def todo(call: str, function: str, where: str) -> str:
    return (
        f"    # TODO(asyncshift): {call} is a coroutine now, but '{function}' is handed to {where}, which calls it in "
        "place without awaiting: it runs to its end here (_run_to_end), blocking while an event loop runs in this "
        "thread; move it out to an async caller that awaits it\n"
    )


HELPER = unittest_cases.CODE.format(name="_run_to_end", marker=unittest_cases.SYNC_CALLER)

CONVERTED_FUNCTIONS = f"""\
async def user_name(user_id):
    user = await db_session.get(User, int(user_id))
    return user.name if user else None


{HELPER.strip()}


def mention(match):
{todo("user_name()", "mention", "re.sub(...)")}\
    return _run_to_end(user_name(match.group(1))) or match.group()


def seniority(name):
{todo("db_session.scalar()", "seniority", "sorted(key=...)")}\
    return _run_to_end(db_session.scalar(select(User.id).where(User.name == name)))


def beat():
    # TODO(asyncshift): db_session.commit() is a coroutine now, but 'beat' is handed to threading.Timer(...), which \
calls it without awaiting: move it out
    db_session.commit()


def expand(text):
    return re.sub(r"@(\\d+)", mention, text)
"""


def test_a_function_called_in_place_runs_what_it_awaits_to_its_end():
    converted, _ = CODEMOD.apply(SOURCE)
    assert CONVERTED_FUNCTIONS in converted
    assert "def expand_counted(text):\n    return re.subn(" in converted
    assert "def by_seniority(names):\n    return sorted(names, key=seniority)\n" in converted


def test_a_sub_method_of_a_compiled_pattern_is_one_too():
    source = """\
import re

from sqlalchemy.orm import Session

MENTION = re.compile(r"@(\\d+)")


def expand(session: Session, text):
    def mention(match):
        return session.scalar(q, {"id": match.group(1)})

    return MENTION.sub(mention, text)
"""
    converted, _ = CODEMOD.apply(source)
    assert (
        """\
def expand(session: AsyncSession, text):
    def mention(match):
        # TODO(asyncshift): session.scalar() is a coroutine now, but 'mention' is handed to MENTION.sub(...), which \
calls it in place without awaiting: it runs to its end here (_run_to_end), blocking while an event loop runs in this \
thread; move it out to an async caller that awaits it
        return _run_to_end(session.scalar(q, {"id": match.group(1)}))

    return MENTION.sub(mention, text)
"""
        in converted
    )
    assert "def _run_to_end(value):" in converted


def _load(tmp_path, name, code):
    path = tmp_path / f"{name}.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _answers(module):
    return module.expand("hi @1, @2 and @9"), module.expand_counted("@2"), module.by_seniority(["ann", "bob"])


def test_the_converted_callbacks_answer_what_the_original_did(tmp_path):
    database = tmp_path / "users.db"
    source = SOURCE.replace('"sqlite://"', f'"sqlite:///{database}"')
    converted, _ = CODEMOD.apply(source)
    original = _load(tmp_path, "in_place_original", source)
    try:
        original.Base.metadata.create_all(original.engine)
        original.db_session.add_all([original.User(name="bob"), original.User(name="ann")])
        original.db_session.commit()
        expected = _answers(original)
        original.db_session.remove()
        original.engine.dispose()
    finally:
        sys.modules.pop("in_place_original", None)
    assert expected == ("hi bob, ann and @9", ("ann", 1), ["bob", "ann"])

    module = _load(tmp_path, "in_place_converted", converted)  # the same database file, filled by the original
    try:
        assert _answers(module) == expected  # no loop running here

        async def served():  # a loop runs in this thread (a request): run in a thread of its own, blocking
            answer = _answers(module)
            await module.db_session.remove()
            return answer

        assert asyncio.run(served()) == expected
        module._run_to_end(module.db_session.remove())
        module._run_to_end(module.engine.dispose())
    finally:
        sys.modules.pop("in_place_converted", None)
