"""A listener removed (or looked for) with SQLAlchemy's ``event.remove``/``event.contains`` stays on the class it
was put on: a test case listening on ``Session`` for ``after_transaction_end`` (restarting its savepoint) and removing
the listener in a finalizer got ``event.remove(AsyncSession, ...)``, which raised "No such event
'after_transaction_end' for target AsyncSession" at every test's teardown, while ``event.listen`` kept ``Session``."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

BEFORE = """\
from sqlalchemy import event
from sqlalchemy.orm import Session


def restart_savepoint(session, transaction):
    if transaction.nested and not transaction._parent.nested:
        session.begin_nested()


def watch():
    def unwatch():
        event.remove(Session, "after_transaction_end", restart_savepoint)

    event.listen(Session, "after_transaction_end", restart_savepoint)
    return unwatch, event.contains(Session, "after_transaction_end", restart_savepoint)


def first(session: Session):
    return session.get(User, 1)
"""

AFTER = """\
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.ext.asyncio import AsyncSession


def restart_savepoint(session, transaction):
    if transaction.nested and not transaction._parent.nested:
        session.begin_nested()


def watch():
    def unwatch():
        event.remove(Session, "after_transaction_end", restart_savepoint)

    event.listen(Session, "after_transaction_end", restart_savepoint)
    return unwatch, event.contains(Session, "after_transaction_end", restart_savepoint)


async def first(session: AsyncSession):
    return await session.get(User, 1)
"""


def test_a_listener_is_removed_from_the_class_it_was_put_on():
    out = check_transformed(CODEMOD, BEFORE, AFTER)
    namespace = {"User": object}
    exec(compile(out, "converted.py", "exec"), namespace)
    unwatch, listening = namespace["watch"]()
    assert listening
    unwatch()  # raised InvalidRequestError on AsyncSession
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    assert not event.contains(Session, "after_transaction_end", namespace["restart_savepoint"])
