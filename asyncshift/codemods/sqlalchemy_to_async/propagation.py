"""Await propagation: each function the run's call graph made async becomes ``async def``.

The decision is whole-program (``colours``); here it is written down: ``def`` -> ``async def``,
``@contextmanager`` -> ``@asynccontextmanager``, and a TODO where a function that became a coroutine
function is handed on as a value (a callback, ``sorted(key=...)``, a thread target) that must be sync.
"""

from __future__ import annotations

import os
from pathlib import Path

import libcst as cst

from codemods.sqlalchemy_to_async import (
    async_dunders,
    async_generators,
    dispatch,
    fixtures,
    loop_fixture,
    manager_aliases,
    pytest_config,
    pytest_pins,
)
from codemods.sqlalchemy_to_async.conversion import Conversion

CONTEXT_MANAGERS = {"contextmanager": "asynccontextmanager"}


def function_def(conv: Conversion, qualname: str, updated: cst.FunctionDef) -> cst.FunctionDef | cst.FlattenSentinel:
    function_id = f"{conv.name}:{qualname}"
    if updated.asynchronous is not None or function_id not in conv.project.becoming_async:
        return updated
    if async_dunders.is_async_dunder(conv.project, function_id):
        return async_dunders.definition(qualname.rpartition(".")[0], updated)
    facts = conv.project.by_id(function_id)
    if facts is not None and facts.is_generator:
        updated = async_generators.loops(conv, qualname, updated)
    decorators = [_decorator(conv, d) for d in updated.decorators]
    if facts is not None and conv.project.types.is_context_manager(facts):
        updated = manager_aliases.generator_returns(conv, updated)
    return updated.with_changes(asynchronous=cst.Asynchronous(), decorators=decorators)


def _decorator(conv: Conversion, decorator: cst.Decorator) -> cst.Decorator:
    """``@contextmanager`` / ``@contextlib.contextmanager`` -> the async one from the same place (imported)."""
    node = decorator.decorator
    if isinstance(node, cst.Name) and node.value in CONTEXT_MANAGERS:
        facts = conv.project.modules.get(conv.name)
        dotted = facts.bindings.get(node.value, "") if facts else ""
        if dotted != f"contextlib.{node.value}":
            return decorator  # not contextlib's (or bound in the function): left as it is
        conv.replaced_names.add(dotted)
        return decorator.with_changes(decorator=cst.Name(conv.use("contextlib", CONTEXT_MANAGERS[node.value])))
    if isinstance(node, cst.Attribute) and node.attr.value in CONTEXT_MANAGERS:
        return decorator.with_changes(decorator=node.with_changes(attr=cst.Name(CONTEXT_MANAGERS[node.attr.value])))
    return decorator


def reference(conv: Conversion, original: cst.Name | cst.Attribute) -> None:
    """A function that became async, named but not called here: whoever calls it must await it."""
    if id(original) in conv.coroutine_args or conv.stand_in(original) or id(original) in conv.read_from:
        return  # handed to what takes a coroutine function (Depends), standing in for one, or read from
    if dispatch.dispatched(conv, original):
        return  # put into a table of handlers whose calls await it (``dispatch``)
    found = conv.type_of(original)
    if not found or not found.startswith("func:") or found[5:] not in conv.project.becoming_async:
        return
    target = conv.project.by_id(found[5:])
    if target and conv.project.types.is_context_manager(target) and manager_aliases.returns_async_alias(conv):
        return  # the factory an async alias is declared for: its callers enter it with ``async with``
    name = conv.module.code_for_node(original)
    conv.todo(f"'{name}' is a coroutine function now: whatever calls it here must await it (a sync callable won't)")


def coroutines_note(conv: Conversion) -> None:
    """For callers outside the paths given: which public functions of this module are coroutines now."""
    module = conv.project.modules.get(conv.name)
    if module is None:
        return
    public = sorted(
        f.qualname
        for f in module.functions.values()
        if f.id in conv.project.becoming_async and not f.parent and not f.name.startswith("_")
    )
    if public:
        conv.notes.note("now coroutines (await them in callers outside the paths given): " + ", ".join(public))
    built = sorted(
        f.cls for f in module.functions.values() if f.name == "__init__" and f.id in conv.project.becoming_async
    )
    if built:
        conv.notes.note(
            f"built with 'await Cls.{async_dunders.FACTORY}(...)' now, in callers outside the paths given too: "
            + ", ".join(built)
        )
    tests = [f for f in module.functions.values() if f.id in conv.project.becoming_async and fixtures.is_test(f)]
    if tests:
        legacy = pytest_pins.held(conv.notes.source)
        conv.require(pytest_pins.LEGACY if legacy else pytest_config.REQUIREMENT)
        _pytest_config(conv, {"asyncio_mode": "auto"} if legacy else pytest_config.SETTINGS)


def _pytest_config(conv: Conversion, keys: dict[str, str]) -> None:
    """The pytest-asyncio settings (``keys``), written into the project's pytest config (a file beside the
    converted ones, as the runner writes them: in place, under ``--out``, or shown by ``--diff``); else the note.
    Under an older pytest-asyncio (``asyncio_mode`` alone) the session's loop is a conftest's fixture."""
    edit = pytest_config.plan(conv.project, keys) if conv.notes.source else None
    if edit is None:
        conv.notes.note(PYTEST_CONFIG if keys == pytest_config.SETTINGS else loop_fixture.BY_HAND)
        return
    for message in edit.notes:
        conv.notes.note(f"{edit.path.name}: {message}")
    if edit.after is not None:
        settings = ", ".join(f"{k} = {v}" for k, v in keys.items())
        made = "updated" if edit.before is not None else "created"
        name = _written(conv, edit.path, edit.after)
        conv.notes.note(f"{name} {made}: {settings} (tests and fixtures became async; pytest-asyncio)")
    if keys == pytest_config.SETTINGS:
        return
    path, message = loop_fixture.plan(edit.path.parent, pytest_config.tests_folder(conv.project))
    if message:
        conv.notes.note(message)
    if path is not None:
        name = _written(conv, path, loop_fixture.CODE)
        conv.notes.note(f"{name} created: a session-scoped event_loop fixture (one loop for the tests made async)")


def _written(conv: Conversion, path: Path, text: str) -> str:
    """``path`` handed to the runner to write (relative to the module converted); its name there."""
    name = Path(os.path.relpath(path, Path(conv.notes.source).resolve().parent)).as_posix()
    conv.notes.files[name] = text
    return name


# One event loop for the whole run: an engine made by a session-scoped fixture is bound to the loop it was
# made in, and tests on a loop of their own would use it from another loop.
PYTEST_CONFIG = (
    "tests and fixtures became async: set asyncio_mode = auto, asyncio_default_fixture_loop_scope = session "
    "and asyncio_default_test_loop_scope = session in the pytest config (pytest-asyncio)"
)
