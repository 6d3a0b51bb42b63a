"""The async db helper on an older SQLAlchemy 1.4 (1.4.26, a pinned 2021 app): its ``greenlet_spawn`` runs the
sync session in an ``_AsyncIoGreenlet`` with no ``__sqlalchemy_greenlet_provider__`` mark. The helper took it
for sync code outside an awaited call and skipped every flush: ``await db.session.commit()`` looped until
SQLAlchemy's FlushError ("Over 100 subsequent flushes")."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import greenlet

TEMPLATES = Path(__file__).resolve().parents[3] / "asyncshift/codemods/sqlalchemy_to_async/template"


class _AsyncIoGreenlet(greenlet.greenlet):
    """SQLAlchemy 1.4.26's greenlet_spawn greenlet: its class, and no provider mark."""


def test_an_old_sqlalchemy_greenlet_counts_as_an_awaited_call(monkeypatch):
    monkeypatch.syspath_prepend(str(TEMPLATES))
    module = importlib.import_module("_flask_sqlalchemy_async")
    try:
        seen = []
        _AsyncIoGreenlet(lambda: seen.append(module._in_greenlet())).switch()
        assert seen == [True]
        assert module._in_greenlet() is False  # sync code outside any awaited call
        plain = []
        greenlet.greenlet(lambda: plain.append(module._in_greenlet())).switch()
        assert plain == [False]  # another library's greenlet is not SQLAlchemy's
    finally:
        sys.modules.pop("_flask_sqlalchemy_async", None)
