"""Flask before 2.3 runs without blinker: its signals are stand-ins whose ``connect`` raises ("Signalling support
is unavailable because the blinker library is not installed"). The converted app forwards ``appcontext_pushed``
only where signals exist; without blinker no receiver can have been connected (every converted Flask 1.1 app's
tests raised at the first request)."""

from __future__ import annotations

import types

from codemods.flask_to_fastapi.extensions import TEMPLATES


def _shadow_g():
    import importlib.util
    import sys

    name = "_flask_compat_under_test"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name,
            TEMPLATES / "_flask_compat" / "__init__.py",
            submodule_search_locations=[str(TEMPLATES / "_flask_compat")],
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return importlib.import_module(f"{name}.shadow_g")


class _FakeSignal:  # Flask 1.1's flask.signals._FakeSignal, connect included
    def connect(self, *args, **kwargs):
        raise RuntimeError("Signalling support is unavailable because the blinker library is not installed.")


def test_without_blinker_nothing_is_forwarded_and_nothing_raises():
    flask = types.SimpleNamespace(
        signals=types.SimpleNamespace(signals_available=False), appcontext_pushed=_FakeSignal()
    )
    shadow = types.SimpleNamespace()
    _shadow_g().forward_pushed(flask, shadow, object())
    assert "_asyncshift_forward_pushed" not in vars(shadow)


def test_with_signals_the_receiver_is_connected():
    import flask

    shadow, app, seen = types.SimpleNamespace(), types.SimpleNamespace(), []

    def handler(sender, **kwargs):
        seen.append(sender)

    _shadow_g().forward_pushed(flask, shadow, app)
    with flask.appcontext_pushed.connected_to(handler, app):
        flask.appcontext_pushed.send(shadow)
    assert seen == [app]
