"""``row.save()`` on a value of unknown type, ``save`` a coroutine function of some class of the run though a name
common elsewhere: awaited through ``_awaited`` in async code (a sync ``save`` gives its value as it is), a TODO in
a lambda there; before, left unawaited with no TODO (the row never saved). Sync code that stays sync, a known
receiver of another class, and a builtin container's method (``cache.update``) are left alone."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

SOURCE = """\
from sqlalchemy.orm import Session

session = Session()


class Model:
    def save(self):
        session.add(self)
        session.commit()


class Upload:
    def save(self, path):
        return path


async def reset(rows, cache, upload: Upload):
    for row in rows:
        row.save()
    cache.update(a=1)
    upload.save("x")
    return lambda row: row.save()


def sync_reset(rows):
    for row in rows:
        row.save()
"""
AWAITED = '''

async def _awaited(value):
    """What a wrapped function gave, awaited when it is a coroutine (written by asyncshift)."""
    import inspect

    return await value if inspect.isawaitable(value) else value
'''
TODO = (
    "    # TODO(asyncshift): row.save() may be a coroutine now (Model.save became async) and the type of 'row' "
    "is not known here; a lambda or generator expression cannot await: await it in async code if it is\n"
)


def _converted(source: str) -> str:
    return (
        source.replace("from sqlalchemy.orm import Session", "from sqlalchemy.ext.asyncio import AsyncSession")
        .replace("session = Session()", "session = AsyncSession(expire_on_commit=False)")
        .replace("    def save(self):", "    async def save(self):")
        .replace("        session.commit()\n", "        await session.commit()\n")
    )


def test_a_common_name_async_in_the_run_is_awaited_in_async_code_and_a_todo_in_sync_code():
    expected = (
        _converted(SOURCE)
        .replace("        return path\n", "        return path\n" + AWAITED)
        .replace("        row.save()\n    cache", "        await _awaited(row.save())\n    cache")
        .replace("    return lambda", TODO + "    return lambda")
    )
    check_transformed(CODEMOD, SOURCE, expected)


def test_a_common_name_no_class_made_async_is_left_alone():
    source = SOURCE.replace("        session.add(self)\n        session.commit()\n", "        return self\n")
    source = source.replace("class Model:", "def count():\n    return session.scalar(1)\n\n\nclass Model:")
    expected = (
        source.replace("from sqlalchemy.orm import Session", "from sqlalchemy.ext.asyncio import AsyncSession")
        .replace("session = Session()", "session = AsyncSession(expire_on_commit=False)")
        .replace("def count():\n    return session", "async def count():\n    return await session")
    )
    check_transformed(CODEMOD, source, expected)
