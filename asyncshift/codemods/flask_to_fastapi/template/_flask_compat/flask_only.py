"""A Flask extension that accepts only a real ``flask.Flask`` (and Flask-SQLAlchemy's ``db``): kept on Flask.

Some extensions check what they are given: Flask-User's ``UserManager(app, db, User)`` raises TypeError unless
``isinstance(app, flask.Flask)``, then ConfigError unless ``isinstance(db, flask_sqlalchemy.SQLAlchemy)``, and it
serves its own views and templates. Such a class, wrapped by ``flask_extension``, is built on the Flask app beside
the converted one (``flask_hosted``: it answers what no FastAPI route does, so the extension's views are served
there), with the converted ``db`` shown to it as a Flask-SQLAlchemy instance (every attribute the converted
``db``'s: same models, session and engine). What the extension sets on that Flask app (``app.user_manager``) is set
on the converted app too, where the app's own code and templates read it. End state: the extension's FastAPI
counterpart (or the feature by hand), with no Flask app behind it.
"""

from __future__ import annotations

import inspect
from typing import Any

from .flask_hosted import flask_twin

_FACES: dict[int, Any] = {}  # id(converted db) -> its Flask-SQLAlchemy face
_DB = "_asyncshift_db"


def flask_extension(extension_class: type) -> type:
    """The extension's class, given the Flask app beside a converted app and a Flask-SQLAlchemy face of its db."""

    class OnFlask(extension_class):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            args, kwargs, app = _on_flask(args, kwargs)
            before = set(getattr(_host_of(app), "__dict__", {}))
            super().__init__(*args, **kwargs)
            _share(self, app, before)

        def init_app(self, *args: Any, **kwargs: Any) -> Any:
            args, kwargs, app = _on_flask(args, kwargs)
            before = set(getattr(_host_of(app), "__dict__", {}))
            result = super().init_app(*args, **kwargs)
            _share(self, app, before)
            return result

    OnFlask.__name__ = OnFlask.__qualname__ = extension_class.__name__
    OnFlask.__module__ = extension_class.__module__
    OnFlask.__doc__ = extension_class.__doc__
    return OnFlask


def _on_flask(args: tuple, kwargs: dict) -> tuple[tuple, dict, Any]:
    """The arguments with the converted app as its Flask host and the converted db as a Flask-SQLAlchemy one."""
    app = next((a for a in (*args, *kwargs.values()) if _converted_app(a)), None)
    args = tuple(_flask_side(a) for a in args)
    kwargs = {k: _flask_side(v) for k, v in kwargs.items()}
    return args, kwargs, app


def _converted_app(value: Any) -> bool:
    try:
        from fastapi import FastAPI
    except ImportError:  # pragma: no cover - the helper is written with FastAPI code
        return False
    return isinstance(value, FastAPI)


def _host_of(app: Any) -> Any:
    return None if app is None else flask_twin(app)


def _flask_side(value: Any) -> Any:
    if _converted_app(value):
        return flask_twin(value)
    return _db_face(value)


def _db_face(db: Any) -> Any:
    """A converted Flask-SQLAlchemy ``db`` (the helper's: ``Model``, ``session``, ``create_all``, not Flask-SQLAlchemy's
    class) as an instance of ``flask_sqlalchemy.SQLAlchemy`` reading every attribute from it; anything else as it is."""
    if inspect.isclass(db) or not all(hasattr(db, n) for n in ("Model", "session", "create_all")):
        return db
    try:
        import flask_sqlalchemy
    except ImportError:
        return db
    if isinstance(db, flask_sqlalchemy.SQLAlchemy):
        return db
    face = _FACES.get(id(db))
    if face is None or object.__getattribute__(face, _DB) is not db:
        face = _FACES[id(db)] = _face_class(flask_sqlalchemy.SQLAlchemy)(db)
    return face


_CLASSES: dict[type, type] = {}


def _face_class(base: type) -> type:
    if base not in _CLASSES:

        class FlaskSQLAlchemyFace(base):  # type: ignore[misc,valid-type]
            def __init__(self, db: Any) -> None:  # Flask-SQLAlchemy's own __init__ is not run: the db is made
                object.__setattr__(self, _DB, db)

            def __getattribute__(self, name: str) -> Any:
                if name in (_DB, "__class__", "__dict__"):
                    return object.__getattribute__(self, name)
                return getattr(object.__getattribute__(self, _DB), name)

            def __setattr__(self, name: str, value: Any) -> None:
                setattr(object.__getattribute__(self, _DB), name, value)

            def __repr__(self) -> str:
                return repr(object.__getattribute__(self, _DB))

        _CLASSES[base] = FlaskSQLAlchemyFace
    return _CLASSES[base]


def _share(extension: Any, app: Any, before: set) -> None:
    """The extension as the Flask host keeps it (``app.user_manager = self``), on the converted app too when it
    lacks that name: the app's code and templates read it there (``current_app.user_manager``)."""
    host = _host_of(app)
    if host is None:
        return
    for name in set(host.__dict__) - before:
        if name.startswith("_") or name in app.__dict__ or host.__dict__[name] is not extension:
            continue
        try:
            setattr(app, name, host.__dict__[name])
        except (AttributeError, TypeError):  # a read-only attribute of the converted app
            pass
