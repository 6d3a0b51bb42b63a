"""The Flask apps standing for a FastAPI app in Flask's own context are, to the extensions, that app.

The extensions' shadow (``face.flask_app_context``), the URL twin of the old tests (``flask_urls``) and a REST
extension's host (``flask_hosted``) are what ``flask.current_app`` gives. An extension's ``init_app(app)`` got the
FastAPI app, so what it keeps by that app is looked up with another object: state keyed by the app (Flask-Alembic's
per-app cache, a ``WeakKeyDictionary``: KeyError) or set on it (``app.login_manager``: AttributeError). A stand-in
hashes and compares as the app it stands for, and reads the attributes set on that app it lacks itself (a helper's
object by its Flask twin: the helper's ``LoginManager`` as a real Flask-Login one, ``hosted_login``).
End state: the extension's FastAPI counterpart (or the feature by hand), with no Flask app behind it.
"""

from __future__ import annotations

import inspect
import sys
from typing import Any

_FOR = "_asyncshift_stands_for"


def flask_app_for(flask: Any, app: Any) -> Any:
    """A Flask app under ``app``'s import name and root path, with no static route: Flask before 0.11 takes no
    ``root_path`` argument (TypeError), so it is set after."""
    if "root_path" in inspect.signature(flask.Flask.__init__).parameters:
        return flask.Flask(app.import_name, root_path=app.root_path, static_folder=None)
    made = flask.Flask(app.import_name, static_folder=None)
    made.root_path = app.root_path
    return made


_CLASSES: dict[type, type] = {}


class _StandIn:
    def __hash__(self) -> int:
        return hash(self.__dict__[_FOR])

    def __eq__(self, other: object) -> bool:
        """The app itself, not another stand-in for it: Flask pushes a hosted app's own context under the shadow's
        (``app_ctx.app != self.app``), whose config and blueprints are its own."""
        return other is self or other is self.__dict__[_FOR]

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __setattr__(self, name: str, value: Any) -> None:
        """A method a test replaces through Flask's proxy (``mocker.patch("flask.current_app.test_request_context")``,
        ``monkeypatch.setattr`` alike) is replaced on the app it stands for too: the converted code calls the app's
        own (the helper's ``current_app``). The stand-in's own method set back (monkeypatch's undo), or the
        replacement deleted (mock.patch's), gives the app its own back. Only a test's replacement: an extension's
        ``init_app`` wrapping the Flask app it got (Flask-RESTful's ``app.handle_exception = partial(...)`` on a
        REST host) leaves the app's own."""
        super().__setattr__(name, value)
        app = self.__dict__.get(_FOR)
        if app is None or not _replaceable(self, app, name) or not _by_a_test(sys._getframe(1), value):
            return
        replaced = self.__dict__.setdefault(_REPLACED, {})
        if getattr(value, "__self__", None) is self and getattr(value, "__func__", None) is _method(self, name):
            _give_back(app, name, replaced)
        else:
            replaced.setdefault(name, vars(app).get(name, _MISSING))
            setattr(app, name, value)

    def __delattr__(self, name: str) -> None:
        super().__delattr__(name)
        app = self.__dict__.get(_FOR)
        if app is not None and name in self.__dict__.get(_REPLACED, ()):
            _give_back(app, name, self.__dict__[_REPLACED])

    def __getattr__(self, name: str) -> Any:
        """An attribute an extension's ``init_app`` set on the app (Flask-Login's ``login_manager``)."""
        app = self.__dict__.get(_FOR)
        if app is not None and not name.startswith("__") and name in getattr(app, "__dict__", {}):
            found = app.__dict__[name]
            flask_twin = getattr(type(found), "for_flask", None)  # a helper's object with a Flask extension twin
            return found.for_flask() if callable(flask_twin) else found
        for base in type(self).__mro__[2:]:  # a Flask that answers unknown names itself
            if "__getattr__" in base.__dict__:
                return base.__dict__["__getattr__"](self, name)
        raise AttributeError(name)


_REPLACED = "_asyncshift_replaced"
_MISSING = object()


def _method(stand_in: Any, name: str) -> Any:
    """Flask's own method of that name (a function of the stand-in's class), else None."""
    found = inspect.getattr_static(type(stand_in), name, None)
    return found if inspect.isfunction(found) else None


def _replaceable(stand_in: Any, app: Any, name: str) -> bool:
    """A method of Flask's that the app has too (its face's, on the app or its class): what a test replaces on
    ``flask.current_app`` to see the converted code call it."""
    return (
        not name.startswith("__")
        and _method(stand_in, name) is not None
        and (name in vars(app) or hasattr(type(app), name))
    )


_PATCHERS = ("unittest.mock", "mock.mock", "_pytest.monkeypatch")
"""The modules setting a test's replacement (``mock.patch``, pytest-mock's ``mocker.patch``, ``monkeypatch``)."""


def _by_a_test(frame: Any, value: Any) -> bool:
    """Set by a patch (the caller's module), or a mock set by hand (``flask.current_app.x = MagicMock()``)."""
    if frame is not None and frame.f_globals.get("__name__") in _PATCHERS:
        return True
    mocks = sys.modules.get("unittest.mock")
    return mocks is not None and isinstance(value, mocks.NonCallableMock)


def _give_back(app: Any, name: str, replaced: dict) -> None:
    """The app's own attribute again: the one its instance held, or none (its class's)."""
    own = replaced.pop(name, _MISSING)
    if own is _MISSING:
        vars(app).pop(name, None)
    else:
        setattr(app, name, own)


def stand_in(flask_app: Any, app: Any) -> Any:
    """Make ``flask_app`` stand for ``app`` (its class gains ``_StandIn``; it stays a Flask app)."""
    base = type(flask_app)
    if not isinstance(flask_app, _StandIn):
        if base not in _CLASSES:
            _CLASSES[base] = type(base.__name__, (_StandIn, base), {"__module__": base.__module__})
        flask_app.__class__ = _CLASSES[base]
    flask_app.__dict__[_FOR] = app
    _static_folders(flask_app, app)
    _signals_for_the_app()
    processors = flask_app.template_context_processors[None]
    if _converted_context not in processors:  # the app's template context, for templates Flask renders here
        processors.insert(0, _converted_context)
    return flask_app


def _static_folders(flask_app: Any, app: Any) -> None:
    """The app's static folders, as an extension reads them through ``flask.current_app`` (Flask-Assets resolving
    a bundle's ``name/file`` in ``app.blueprints[name]``'s static folder, else in the app's): the stand-in was made
    with none (no static route of its own: that stays so) and knew no blueprint of the app's."""
    folder = getattr(app, "static_folder", None)
    if flask_app.static_folder is None and isinstance(folder, str):
        flask_app.static_folder, flask_app.static_url_path = folder, getattr(app, "static_url_path", None)
    if not isinstance(flask_app.blueprints, _Blueprints):
        flask_app.blueprints = _Blueprints(flask_app.blueprints, app)


class _Blueprints(dict):
    """A stand-in's ``blueprints``: its own, and by name a blueprint of the app's whose static files it serves (a
    converted one is a router: a Flask blueprint standing for it, with that folder). Iterated, only its own."""

    def __init__(self, own: dict, app: Any) -> None:
        super().__init__(own)
        self.app = app

    def __setitem__(self, name: str, blueprint: Any) -> None:
        """A blueprint named for the request's endpoint (``flask_request``) takes the folder the app serves."""
        folder = _served_folder(self.app, name)
        if folder is not None and getattr(blueprint, "static_folder", 0) is None:
            blueprint.static_folder = folder
        super().__setitem__(name, blueprint)

    def __missing__(self, name: str) -> Any:
        folder = _served_folder(self.app, name)
        if folder is None:
            raise KeyError(name)
        from flask import Blueprint

        return Blueprint(name.rpartition(".")[2], self.app.import_name, static_folder=folder)


def _served_folder(app: Any, name: str) -> str | None:
    """The folder of the blueprint ``name``'s static files as the app serves them (its ``name.static`` mount)."""
    for route in getattr(getattr(app, "router", None), "routes", ()):
        directory = getattr(getattr(route, "app", None), "directory", None)
        if getattr(route, "name", None) == f"{name}.static" and directory is not None:
            return str(directory)
    return None


def _signals_for_the_app() -> None:
    """A blinker signal sent by a stand-in (``identity_changed.send(current_app._get_current_object())`` in a hosted
    Resource) reaches the receivers connected for the app it stands for: an extension's ``init_app(app)`` connected
    them with the FastAPI app as sender (Flask-Principal's ``identity_changed``), and blinker matches senders by
    ``id()``, so they never ran (no ``g.identity``: every permission check failed)."""
    try:
        from blinker.base import Signal
    except ImportError:  # no blinker: no receiver connected for the app
        return
    given = Signal.receivers_for
    if getattr(given, "asyncshift_stand_in", False):  # another converted root's copy of this module patched it
        return

    def receivers_for(self: Any, sender: Any) -> Any:
        found = list(given(self, sender))
        yield from found
        state = getattr(sender, "__dict__", None)
        app = state.get(_FOR) if isinstance(state, dict) else None
        if app is not None:
            yield from (receiver for receiver in given(self, app) if receiver not in found)

    receivers_for.asyncshift_stand_in = True  # type: ignore[attr-defined]
    Signal.receivers_for = receivers_for  # type: ignore[method-assign]


def _converted_context() -> dict:
    from .templates import flask_rendered_context

    return flask_rendered_context()
