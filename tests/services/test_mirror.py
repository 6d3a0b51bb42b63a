"""The two services packages are mirror images: same modules, classes, methods, order and signatures;
every public method of the aio twin is a coroutine function, none of the sync one is."""

from __future__ import annotations

import dataclasses
import importlib
import inspect

import pytest

from admin_assistant.aio import services as aio_services
from admin_assistant.sync import services as sync_services

MODULES = ["users", "calendars", "appointments", "archive_configurations", "archive"]


def _service_classes(module):
    return [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__ == module.__name__ and cls.__name__.endswith("Service")
    ]


def _methods(cls):
    return [name for name in vars(cls) if callable(vars(cls)[name]) and not name.startswith("__")]


@pytest.mark.parametrize("name", MODULES)
def test_each_module_has_the_same_classes_methods_and_signatures(name):
    sync_module = importlib.import_module(f"admin_assistant.sync.services.{name}")
    aio_module = importlib.import_module(f"admin_assistant.aio.services.{name}")
    sync_classes, aio_classes = _service_classes(sync_module), _service_classes(aio_module)
    assert [c.__name__ for c in sync_classes] == [c.__name__ for c in aio_classes] != []
    for sync_cls, aio_cls in zip(sync_classes, aio_classes, strict=True):
        assert _methods(sync_cls) == _methods(aio_cls)
        for method in _methods(sync_cls):
            sync_fn, aio_fn = getattr(sync_cls, method), getattr(aio_cls, method)
            assert _colourless(inspect.signature(sync_fn)) == _colourless(inspect.signature(aio_fn)), method
            assert _colour(sync_fn) == "sync" and _colour(aio_fn) == "async", method


# A context manager's twin is an async context manager: its annotations name the async iterator.
_ASYNC_TYPE_NAMES = {
    "AsyncIterator": "Iterator",
    "AsyncGenerator": "Generator",
    "AsyncContextManager": "ContextManager",
}


def _colourless(signature: inspect.Signature) -> str:
    text = str(signature)
    for async_name, sync_name in _ASYNC_TYPE_NAMES.items():
        text = text.replace(async_name, sync_name)
    return text


def _colour(fn) -> str:
    """``async`` for a coroutine function or an async generator (an ``@asynccontextmanager``'s body)."""
    body = inspect.unwrap(fn)
    return "async" if inspect.iscoroutinefunction(body) or inspect.isasyncgenfunction(body) else "sync"


@pytest.mark.parametrize("name", MODULES)
def test_each_service_declares_the_same_reads_on_both_stacks_and_has_them(name):
    sync_module = importlib.import_module(f"admin_assistant.sync.services.{name}")
    aio_module = importlib.import_module(f"admin_assistant.aio.services.{name}")
    for sync_cls, aio_cls in zip(_service_classes(sync_module), _service_classes(aio_module), strict=True):
        assert sync_cls.read_methods == aio_cls.read_methods, sync_cls.__name__
        assert sync_cls.read_methods, sync_cls.__name__
        assert set(sync_cls.read_methods) <= set(_methods(sync_cls)), sync_cls.__name__


def test_both_services_dataclasses_hold_the_same_services():
    sync_fields = [(f.name, f.type) for f in dataclasses.fields(sync_services.Services)]
    aio_fields = [(f.name, f.type) for f in dataclasses.fields(aio_services.Services)]
    assert sync_fields == aio_fields
    assert [name for name, _ in sync_fields] == [
        "users",
        "calendars",
        "appointments",
        "archive_configurations",
        "archive",
    ]
