"""A function kept by a caching decorator (``functools.lru_cache``/``cache``, cachetools' ``cached``, Flask-Caching's
``@cache.memoize()``/``@cache.cached()``) is held sync: made ``async def``, the cache would keep its coroutine, the
first caller would await it and every later one get "cannot reuse already awaited coroutine" (Flask-Caching in
debug mode: "cannot pickle 'coroutine' object")."""

from __future__ import annotations

import pytest

from codemods.sqlalchemy_to_async import CODEMOD

HEAD = """\
import functools

from flask_caching import Cache
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
cache = Cache()


class Config(db.Model):
    key = db.Column(db.String(36), primary_key=True)
    value = db.Column(db.String(36))
"""


@pytest.mark.parametrize(
    "decorator",
    ["@cache.memoize()", "@cache.cached(timeout=50)", "@functools.lru_cache(maxsize=None)", "@functools.cache"],
)
def test_a_cached_function_that_reads_the_database_stays_sync_with_a_todo(decorator: str):
    program = (
        HEAD
        + f"""

{decorator}
def get_config(key):
    return db.session.get(Config, key).value


def page():
    return {{"title": get_config("title")}}
"""
    )
    converted, _notes = CODEMOD.apply(program, path="program.py")
    compile(converted, "program.py", "exec", dont_inherit=True)
    assert f"{decorator}\ndef get_config(key):" in converted
    assert "which would keep the coroutine" in converted and "# TODO(asyncshift):" in converted
    assert "def page():" in converted and "async def page" not in converted
    assert "await get_config" not in converted


def test_an_uncached_function_beside_it_still_becomes_async():
    program = (
        HEAD
        + """

@cache.memoize()
def title():
    return "asyncshift"


def get_config(key):
    return db.session.get(Config, key).value
"""
    )
    converted, _notes = CODEMOD.apply(program, path="program.py")
    assert '@cache.memoize()\ndef title():\n    return "asyncshift"' in converted
    assert "async def get_config(key):" in converted and "which would keep the coroutine" not in converted


def test_an_async_function_under_an_async_cache_is_left_alone():
    program = (
        HEAD
        + """
from async_lru import alru_cache


@alru_cache
async def get_config(key):
    return (await db.session.get(Config, key)).value
"""
    )
    converted, _notes = CODEMOD.apply(program, path="program.py")
    assert "@alru_cache\nasync def get_config(key):" in converted and "TODO(asyncshift)" not in converted
