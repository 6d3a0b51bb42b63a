"""Which names in a module are APScheduler 3's thread schedulers or Flask-APScheduler, by qualified name.

libcst's ``QualifiedNameProvider`` follows imports and aliases (``from flask_apscheduler import
APScheduler as S``, imports inside functions), so the rules below ask "is this node that class?"
and never match on spelling.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import QualifiedNameProvider

BACKGROUND = "background"  # BackgroundScheduler: a thread of its own, start() returns
BLOCKING = "blocking"  # BlockingScheduler: start() runs the scheduler until shutdown
FLASK = "flask"  # Flask-APScheduler's APScheduler: a BackgroundScheduler configured from app.config

CLASSES = {
    "apscheduler.schedulers.background.BackgroundScheduler": BACKGROUND,
    "apscheduler.schedulers.blocking.BlockingScheduler": BLOCKING,
    "flask_apscheduler.APScheduler": FLASK,
    "flask_apscheduler.scheduler.APScheduler": FLASK,
}
OLD_MODULES = ("apscheduler.schedulers.background", "apscheduler.schedulers.blocking", "flask_apscheduler")
NEW_MODULE, NEW_CLASS = "apscheduler.schedulers.asyncio", "AsyncIOScheduler"
# Job stores doing blocking I/O at every wakeup: on the asyncio scheduler, on the event loop's thread.
BLOCKING_STORES = {
    "apscheduler.jobstores.sqlalchemy.SQLAlchemyJobStore": "SQLAlchemyJobStore",
    "apscheduler.jobstores.mongodb.MongoDBJobStore": "MongoDBJobStore",
    "apscheduler.jobstores.redis.RedisJobStore": "RedisJobStore",
    "apscheduler.jobstores.rethinkdb.RethinkDBJobStore": "RethinkDBJobStore",
    "apscheduler.jobstores.zookeeper.ZooKeeperJobStore": "ZooKeeperJobStore",
    "apscheduler.jobstores.etcd.EtcdJobStore": "EtcdJobStore",
}
CURRENT_APP = "flask.current_app"


class Names:
    """Qualified-name questions about the nodes of one module (its metadata resolved once)."""

    def __init__(self, wrapper: cst.MetadataWrapper) -> None:
        self.qualified = wrapper.resolve(QualifiedNameProvider)

    def names(self, node: cst.CSTNode) -> set[str]:
        value = self.qualified.get(node, ())
        return {q.name for q in (value() if callable(value) else value)}  # libcst computes them lazily

    def kind(self, node: cst.CSTNode) -> str | None:
        """``background``/``blocking``/``flask`` when ``node`` names one of the old scheduler classes."""
        for name in self.names(node):
            if name in CLASSES:
                return CLASSES[name]
        return None

    def store(self, node: cst.CSTNode) -> str | None:
        for name in self.names(node):
            if name in BLOCKING_STORES:
                return BLOCKING_STORES[name]
        return None

    def is_(self, node: cst.CSTNode, qualified: str) -> bool:
        return qualified in self.names(node)


def mentions_apscheduler(module: cst.Module) -> bool:
    """A module importing the old schedulers (what a run converts; APScheduler 4 or the asyncio one are left)."""
    for node in _imports(module):
        if isinstance(node, cst.ImportFrom) and node.module is not None and node.relative == ():
            name = _dotted(node.module)
            if name in OLD_MODULES or name.startswith("flask_apscheduler."):
                return True
        elif isinstance(node, cst.Import):
            for alias in node.names:
                name = _dotted(alias.name)
                if any(name == m or name.startswith(m + ".") for m in OLD_MODULES):
                    return True
    return False


def _imports(module: cst.Module):
    found: list[cst.CSTNode] = []

    class _Collect(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> None:
            found.append(node)

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            found.append(node)

    module.visit(_Collect())
    return found


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def dotted(node: cst.BaseExpression) -> str:
    """``self.scheduler`` for an attribute chain of names, "" for anything else."""
    return _dotted(node)
