"""The codemods asyncshift knows, by name, imported only when used.

Entries are ``module:attribute`` strings so worker processes can find a codemod from its name alone.
"""

from __future__ import annotations

import importlib

from codemods.base import Codemod

CODEMODS: dict[str, str] = {
    "typer-to-asyncclick": "codemods.typer_to_asyncclick:CODEMOD",
    "flask-to-fastapi": "codemods.flask_to_fastapi:CODEMOD",
    "sqlalchemy-to-async": "codemods.sqlalchemy_to_async:CODEMOD",
    "apscheduler-to-asyncio": "codemods.apscheduler_to_asyncio:CODEMOD",
}


class UnknownCodemod(LookupError):
    """Raised for a name not in ``CODEMODS``; its message lists the known ones."""


def get(name: str) -> Codemod:
    try:
        target = CODEMODS[name]
    except KeyError:
        known = ", ".join(sorted(CODEMODS))
        raise UnknownCodemod(f"no codemod named {name!r} (known: {known})") from None
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def names() -> list[str]:
    return sorted(CODEMODS)
