"""A small program (models, database, repository, service, entry point) converted whole and run.

The original runs on pysqlite, the converted one on aiosqlite; both must print the same results.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from codemod_helpers import write_tree

from codemods.runner import run

PROGRAM = {
    "shop/__init__.py": "",
    "shop/models.py": """\
        from sqlalchemy import ForeignKey, Integer, String
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


        class Base(DeclarativeBase):
            pass


        class User(Base):
            __tablename__ = "users"
            id: Mapped[int] = mapped_column(Integer, primary_key=True)
            name: Mapped[str] = mapped_column(String(50), unique=True)
            active: Mapped[bool] = mapped_column(default=True)


        class Order(Base):
            __tablename__ = "orders"
            id: Mapped[int] = mapped_column(Integer, primary_key=True)
            user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
            total: Mapped[int]
        """,
    "shop/db.py": """\
        import os

        from sqlalchemy import create_engine
        from sqlalchemy.orm import sessionmaker

        from shop.models import Base

        engine = create_engine(f"sqlite:///{os.environ['SHOP_DB']}")
        SessionLocal = sessionmaker(bind=engine)


        def init_db():
            Base.metadata.drop_all(engine)
            Base.metadata.create_all(engine)
        """,
    "shop/repository.py": """\
        from sqlalchemy import func, select
        from sqlalchemy.orm import Session

        from shop.models import Order, User


        class UserRepository:
            def __init__(self, session: Session):
                self.session = session

            def add(self, name, active=True):
                user = User(name=name, active=active)
                self.session.add(user)
                self.session.flush()
                return user

            def get(self, key):
                return self.session.query(User).get(key)

            def by_name(self, name):
                return self.session.query(User).filter(User.name == name).first()

            def active_names(self):
                return [u.name for u in self.session.query(User).filter_by(active=True).order_by(User.name).all()]

            def count_active(self):
                return self.session.query(User).filter(User.active).count()

            def deactivate(self, name):
                return self.session.query(User).filter(User.name == name).update({"active": False})

            def purge_inactive(self):
                return self.session.query(User).filter(User.active == False).delete()  # noqa: E712

            def order(self, user, total):
                self.session.add(Order(user_id=user.id, total=total))

            def spent(self, user):
                return self.session.execute(select(func.sum(Order.total)).where(Order.user_id == user.id)).scalar()
        """,
    "shop/service.py": """\
        import asyncio
        import time

        from shop.repository import UserRepository


        async def discount(total):
            await asyncio.sleep(0)
            return total - 1


        def discount_sync(total):
            return asyncio.run(discount(total))


        class ShopService:
            def __init__(self, users: UserRepository):
                self.users = users

            def register(self, names):
                for name in names:
                    self.users.add(name)
                self.users.session.commit()

            def buy(self, name, total):
                user = self.users.by_name(name)
                time.sleep(0)
                self.users.order(user, discount_sync(total))
                self.users.session.commit()
                return self.users.spent(user)

            def summary(self):
                first = self.users.get(1)
                return {"first": first.name, "active": self.users.active_names(), "count": self.users.count_active()}
        """,
    "shop/main.py": """\
        from shop.db import SessionLocal, init_db
        from shop.repository import UserRepository
        from shop.service import ShopService


        def main():
            init_db()
            with SessionLocal() as session:
                service = ShopService(UserRepository(session))
                service.register(["carol", "alice", "bob"])
                spent = [service.buy("alice", 10), service.buy("alice", 5)]
                before = service.summary()
                deactivated = service.users.deactivate("bob")
                session.commit()
                after = service.summary()
                purged = service.users.purge_inactive()
                session.commit()
                return {"spent": spent, "before": before, "after": after, "changed": [deactivated, purged]}


        if __name__ == "__main__":
            print(main())
        """,
}

RUN_SYNC = "import json; from shop.main import main; print(json.dumps(main()))"
RUN_ASYNC = "import asyncio, json; from shop.main import main; print(json.dumps(asyncio.run(main())))"


def _run(folder: Path, code: str, database: Path) -> dict:
    env = {**os.environ, "SHOP_DB": str(database), "PYTHONPATH": str(folder)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_converted_program_gives_the_same_results_on_aiosqlite(tmp_path):
    original = write_tree(tmp_path / "original", {k: textwrap.dedent(v) for k, v in PROGRAM.items()})
    converted = tmp_path / "converted"
    result = run("sqlalchemy-to-async", [original], out=converted)
    assert result.count("failed") == 0 and result.todos == 0
    for path in converted.rglob("*.py"):
        compile(path.read_text(), str(path), "exec", dont_inherit=True)
    assert 'create_async_engine(f"sqlite+aiosqlite:///' in (converted / "shop/db.py").read_text()
    notes = [note for f in result.files for note in f.notes]
    assert "requires aiosqlite" in notes and "requires sqlalchemy[asyncio]>=2.0" in notes

    again = run("sqlalchemy-to-async", [converted], write=False)
    assert again.count("changed") == 0, "a second run over the converted program must change nothing"

    expected = _run(original, RUN_SYNC, tmp_path / "sync.db")
    assert expected["spent"] == [9, 13] and expected["changed"] == [1, 1]
    assert _run(converted, RUN_ASYNC, tmp_path / "async.db") == expected
