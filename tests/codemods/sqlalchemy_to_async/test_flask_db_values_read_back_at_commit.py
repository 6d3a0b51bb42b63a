"""After a commit, a column whose type converts what it reads (a ``TypeDecorator`` with ``process_result_value``: naive
UTC datetimes stored, read back aware) gives the value as read back, as under the sync session: that session
expired its objects at commit and the next read reloaded them through the type. The async db's session keeps them
(``expire_on_commit=False``: no lazy reload under asyncio), so the value stayed the one Python set and a comparison
with a value read from the database raised "can't compare offset-naive and offset-aware datetimes".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from codemod_helpers import FLASK_DB_APP, run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = (
    FLASK_DB_APP
    + """\
import datetime

from sqlalchemy.types import DateTime, TypeDecorator


class UTCDateTime(TypeDecorator):
    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return value.replace(tzinfo=None) if value is not None else None

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=datetime.timezone.utc) if value is not None else None


class Visit(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    seen = db.Column(UTCDateTime)
    left = db.Column(UTCDateTime)
    noted = db.Column(db.DateTime)


def record():
    visit = Visit(seen=datetime.datetime(2020, 1, 2, 3, 4, 5), noted=datetime.datetime(2020, 1, 2))
    db.session.add(visit)
    db.session.commit()
    return visit


def leave(visit):
    visit.left = datetime.datetime(2020, 1, 2, 4, 0, 0)
    db.session.commit()
    return visit.left >= visit.seen
"""
)

RUN = """\
import asyncio
import program
from program import db

db.create_all()


async def main():
    visit = await program.record()
    print(visit.seen.isoformat(), visit.left, visit.noted.isoformat())
    print(await program.leave(visit), visit.left.isoformat())


asyncio.run(main())
"""


@pytest.mark.parametrize("database", ["memory", "file"])
def test_a_converting_column_reads_as_read_back_after_a_commit(tmp_path: Path, database: str):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "async def record" in converted and "await db.session.commit()" in converted
    done = run_with_flask_db(tmp_path, converted, notes, database, RUN)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == [
        "2020-01-02T03:04:05+00:00 None 2020-01-02T00:00:00",
        "True 2020-01-02T04:00:00+00:00",
    ]
