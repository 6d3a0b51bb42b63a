"""An Alembic ``env.py`` is left sync: Alembic runs it on a sync engine by default (its ``async`` template is
opt-in, ``alembic init -t async``), and whoever runs it may already be on an event loop.

Converted, an ``env.py`` builds an async engine from a URL read at run time (``alembic.ini``, the app's config:
the codemod cannot give it an async driver, ``'pysqlite' is not async``), hands the ``AsyncConnection`` of the
older template (``connection = engine.connect()``, no ``with``) to ``context.configure`` as it is, and runs
under ``asyncio.run``, which raises on a running loop: Flask-Migrate's ``upgrade()`` called by an app factory,
from a test or a server's start-up, made the converted app fail at import. The sync ``env.py`` keeps working,
beside the async app: the URL literals the app's engine reads are left as written (``urls``), sync.

Not when the ``env.py`` calls a function of the project made async: it is converted then, as before
(``awaited_calls``: under ``asyncio.run``).
"""

from __future__ import annotations

from typing import Any

NOTE = "an Alembic env.py: left sync (Alembic runs it on a sync engine; its async template is opt-in)"


def is_env(facts: Any) -> bool:
    """The module imports Alembic's ``context``: an ``env.py`` (whatever its file name)."""
    return "alembic.context" in facts.bindings.values()


def stays_sync(project: Any, facts: Any) -> bool:
    return is_env(facts) and not _calls_into_async_code(project, facts)


def _calls_into_async_code(project: Any, facts: Any) -> bool:
    scopes = [(None, facts.module_calls), *((f.qualname, f.calls) for f in facts.functions.values())]
    for scope, calls in scopes:
        for callee in calls:
            found = project.types.type_of(facts.name, scope, callee)
            if not (found and found.startswith("func:")):
                continue
            function_id = found[5:]
            if function_id.partition(":")[0] != facts.name and project.is_async(function_id):
                return True
    return False
