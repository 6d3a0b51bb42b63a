"""A function kept by a caching decorator stays sync.

``functools.lru_cache``/``cache``, cachetools' ``cached`` and Flask-Caching's ``@cache.memoize()``/``@cache.cached()``
keep what a call returned. Made ``async def``, they would keep its coroutine: the first caller awaits it, every later
one gets "cannot reuse already awaited coroutine" (Flask-Caching in debug mode fails sooner: "cannot pickle
'coroutine' object"). Such a function is held sync with the reason; what it reads stays on the sync session with a
TODO, as in any other function that cannot become a coroutine.
"""

from __future__ import annotations

from codemods.sqlalchemy_to_async.facts import FunctionFacts

CACHES = {"lru_cache", "cache", "cached", "memoize"}


def held(func: FunctionFacts) -> str | None:
    """Why ``func`` cannot become a coroutine function, if a caching decorator keeps what it returns."""
    cache = next((d for d in func.decorators if d.rpartition(".")[2] in CACHES), None)
    if func.is_async or cache is None:
        return None
    return f"'{func.name}' is cached by @{cache}, which would keep the coroutine: awaited once, then an error"
