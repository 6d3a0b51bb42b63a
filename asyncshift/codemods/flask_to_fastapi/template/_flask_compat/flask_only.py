"""A Flask extension that refuses the converted app (it takes only a real ``flask.Flask``): built on a Flask app.

Some extensions check what they are given: Flask-User's ``UserManager(app, db, User)`` raises TypeError unless
``isinstance(app, flask.Flask)``, then ConfigError unless ``isinstance(db, flask_sqlalchemy.SQLAlchemy)``, and it
serves its own views and templates; others read an attribute only a Flask app has (AttributeError). Which ones do
is not listed: from this package's import on, each class of a Flask extension (a ``flask_*`` module the conversion
does not replace) that defines ``init_app`` has its constructor and ``init_app`` watched (``detect``, the module
patched as it is imported, or at once when it was already). They run on the converted app first (its Flask-shaped
face, ``face.py``); when the extension refuses it, it is built on the Flask app beside the converted one instead,
and the log says so once per class (``flask_hosted``: that app answers what no FastAPI route does, so the
extension's views are served there), with the converted ``db`` shown to it as a Flask-SQLAlchemy instance (every
attribute the converted ``db``'s: same models, session and engine). What the extension sets on that Flask app
(``app.user_manager``) is set on the converted app too, where the app's own code and templates read it.
End state: the extension's FastAPI counterpart (or the feature by hand), with no Flask app behind it.
"""

from __future__ import annotations

import functools
import importlib.abc
import inspect
import logging
import sys
from typing import Any

from .flask_hosted import flask_twin

_FACES: dict[int, Any] = {}  # id(converted db) -> its Flask-SQLAlchemy face
_DB = "_asyncshift_db"
_log = logging.getLogger("_flask_compat")
_REFUSING: set[type] = set()  # the extensions' classes that refused a converted app: built on Flask from then on
WATCHED = "asyncshift_flask_extension"  # on a class whose constructor and init_app are watched
# replaced by the conversion (or served by a Flask app already: the REST extensions' Api, ``flask_hosted``)
NOT_WATCHED = {"flask_sqlalchemy", "flask_login", "flask_wtf", "flask_httpauth", "flask_cors", "flask_apispec"}
NOT_WATCHED |= {"flask_restx", "flask_restplus", "flask_restful", "flask_smorest"}


def flask_extension(extension_class: Any) -> Any:
    """The extension's class, watched (``Cls = flask_extension(Cls)``, which earlier conversions wrote)."""
    if inspect.isclass(extension_class):
        _watch(extension_class)
    return extension_class


def detect() -> None:
    """Watch the classes of the Flask extensions imported already, and of each one imported from now on."""
    if not any(getattr(finder, WATCHED, False) for finder in sys.meta_path):  # one, whichever root's copy
        sys.meta_path.insert(0, _ExtensionFinder())
    for name, module in list(sys.modules.items()):
        if _watched_module(name) and module is not None:
            _watch_module(module)


def _watched_module(name: str) -> bool:
    top = name.partition(".")[0]
    return top.startswith("flask_") and top not in NOT_WATCHED


def _watch_module(module: Any) -> None:
    for value in list(vars(module).values()):
        if inspect.isclass(value) and value.__module__ == module.__name__ and "init_app" in value.__dict__:
            _watch(value)


class _ExtensionFinder(importlib.abc.MetaPathFinder):
    """Finds nothing itself: an extension's module found by the other finders is watched once its loader ran it."""

    asyncshift_flask_extension = True  # WATCHED: each converted root has its own copy of this module

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if not _watched_module(name):
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if getattr(finder, WATCHED, False) or find is None:
                continue
            spec = find(name, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        run = getattr(loader, "exec_module", None)
        if run is None:
            return spec
        try:
            loader.exec_module = functools.partial(_run_and_watch, run)  # this loader's, for this module only
        except (AttributeError, TypeError):  # a loader that takes no attribute (a built-in's): left as it is
            pass
        return spec


def _run_and_watch(run: Any, module: Any) -> None:
    run(module)
    _watch_module(module)


def _watch(extension_class: type) -> None:
    """The class's own constructor and ``init_app`` (plain functions) run on the converted app, else on the Flask app
    beside it; an inherited one is left to its own class (a constructor calls ``self.init_app``, watched)."""
    if extension_class.__dict__.get(WATCHED) or not callable(getattr(extension_class, "init_app", None)):
        return
    for name in ("__init__", "init_app"):
        own = extension_class.__dict__.get(name)
        if inspect.isfunction(own):
            try:
                setattr(extension_class, name, _watched(extension_class, own))
            except (AttributeError, TypeError):  # a class that takes no attribute: left as it is
                return
    try:
        setattr(extension_class, WATCHED, True)
    except (AttributeError, TypeError):
        pass


def _watched(extension_class: type, method: Any) -> Any:
    @functools.wraps(method)
    def watched(self: Any, *args: Any, **kwargs: Any) -> Any:
        return _build(extension_class, functools.partial(method, self), args, kwargs, self)

    return watched


def _build(extension_class: type, build: Any, args: tuple, kwargs: dict, extension: Any) -> Any:
    """``build(*args, **kwargs)`` on the converted app; on the Flask app beside it when the extension refuses it."""
    app = next((a for a in (*args, *kwargs.values()) if _converted_app(a)), None)
    if app is None:
        return build(*args, **kwargs)
    if extension_class in _REFUSING:
        return _on_flask_build(build, args, kwargs, extension)
    try:
        return build(*args, **kwargs)
    except (TypeError, AttributeError) as exc:
        if not _refused(exc, app):
            raise
        error = exc
    try:
        result = _on_flask_build(build, args, kwargs, extension)
    except Exception:
        raise error from None  # the Flask app refused too: the converted app's error is the one to read
    _REFUSING.add(extension_class)
    where = f"{extension_class.__module__}.{extension_class.__qualname__}"
    _log.warning(
        "%s refused the converted app (%s: %s): built on a Flask app beside it, which serves its views",
        where,
        type(error).__name__,
        error,
    )
    return result


def _on_flask_build(build: Any, args: tuple, kwargs: dict, extension: Any) -> Any:
    args, kwargs, app = _on_flask(args, kwargs)
    before = set(getattr(_host_of(app), "__dict__", {}))
    result = build(*args, **kwargs)
    _share(extension, app, before)
    return result


def _refused(error: Exception, app: Any) -> bool:
    """Whether the extension refused the app itself: any TypeError (an ``isinstance(app, flask.Flask)`` check, a
    Flask method called with Flask's arguments), an AttributeError the app raised (an attribute only Flask has)."""
    if isinstance(error, TypeError):
        return True
    if getattr(error, "obj", None) is app:  # Python 3.10+
        return True
    return f"'{type(app).__name__}' object has no attribute" in str(error)


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
    """What the extension set up on the Flask host, for the converted app too: the attributes it set
    (``app.user_manager = self``, Flask-Login's ``app.login_manager``) where the converted app lacks them (its code,
    templates and the extensions' decorators on its views read them there), Flask's default config (Flask's own code
    reads it through whichever stand-in app is current), the Jinja extensions and globals it installed
    (``{% trans %}``) with its templates as a fallback, and URLs of the converted routes for its ``url_for``."""
    host = _host_of(app)
    if host is None:
        return
    import flask

    from .flask_request import _shadow

    _shadow(app)  # the Flask app behind the extensions: the host's requests and its decorators run in its context
    stand_ins = [a for a in (app.__dict__.get("_flask_shadow"), app.__dict__.get("_flask_url_twin")) if a is not None]
    for name in set(host.__dict__) - before:
        if name.startswith("_") or hasattr(flask.Flask, name):
            continue
        value = host.__dict__[name]
        for target in [*stand_ins, *([app] if value is extension else [])]:  # Flask-Login's: on the Flask apps only
            if name not in target.__dict__:
                try:
                    setattr(target, name, value)
                except (AttributeError, TypeError):  # a read-only attribute of the converted app
                    pass
    for flask_app in stand_ins:  # its context processors, for its templates rendered in their app context
        processors = flask_app.template_context_processors[None]
        processors.extend(p for p in host.template_context_processors[None] if p not in processors)
    config = getattr(app, "config", None)
    if isinstance(config, dict):
        for key, value in flask.Flask.default_config.items():
            config.setdefault(key, value)
    _share_jinja(host, app)
    _share_login(host, app)
    _share_urls(host, app)
    for flask_app in (host, *stand_ins):
        if _build_converted_url not in flask_app.url_build_error_handlers:
            flask_app.url_build_error_handlers.append(_build_converted_url)


def _share_urls(host: Any, app: Any) -> None:
    """The extension's rules without arguments (``user.login``: ``/user/sign-in``) built by the converted app's
    ``url_for`` too (its views and templates link to them): URL aliases, as ``add_url_rule`` without a view."""
    from .urls import add_url_alias

    for rule in host.url_map.iter_rules():
        if rule.endpoint != "static" and not rule.arguments and rule.endpoint not in getattr(app, "url_aliases", {}):
            add_url_alias(app, rule.rule, rule.endpoint)


def _share_login(host: Any, app: Any) -> None:
    """A Flask-Login ``LoginManager`` the extension made on the host, when the converted app has none: the user
    signed in through the session the converted app shares with Flask (same cookie) is its ``current_user`` in
    Flask's context too (the helper's request context gives Flask an empty session: a request loader reads the
    helper's), and ``current_user`` of the converted app's templates (Flask-Login's context processor)."""
    manager = host.__dict__.get("login_manager")
    if manager is None or "login_manager" in app.__dict__ or not callable(getattr(manager, "request_loader", None)):
        return
    if getattr(manager, "_request_callback", getattr(manager, "request_callback", None)) is None:
        manager.request_loader(lambda _flask_request: _session_user(manager, None))
    if callable(getattr(app, "context_processor", None)):
        app.context_processor(lambda request: {"current_user": _current_user(manager, request)})


def _session_user(manager: Any, request: Any) -> Any:
    from .context import _current

    request = request if request is not None else _current.get(None)
    if request is None or "session" not in request.scope:
        return None
    user_id = request.session.get("_user_id", request.session.get("user_id"))  # Flask-Login 0.5+, before
    load = getattr(manager, "_user_callback", None) or getattr(manager, "user_callback", None)
    return load(user_id) if user_id is not None and load is not None else None


def _current_user(manager: Any, request: Any) -> Any:
    user = _session_user(manager, request)
    return user if user is not None else manager.anonymous_user()


def _share_jinja(host: Any, app: Any) -> None:
    env, theirs = getattr(app, "jinja_env", None), host.jinja_env
    if env is None or env is theirs:
        return
    for extension in theirs.extensions.values():
        if type(extension).identifier not in env.extensions:
            env.add_extension(type(extension))
    for name, value in theirs.globals.items():
        env.globals.setdefault(name, value)
    for name, value in theirs.filters.items():
        env.filters.setdefault(name, value)
    if getattr(env, "_asyncshift_flask_loader", None) is not theirs.loader:
        from jinja2 import ChoiceLoader

        env.loader = ChoiceLoader([env.loader, theirs.loader]) if env.loader is not None else theirs.loader
        env._asyncshift_flask_loader = theirs.loader


def _build_converted_url(error: Exception, endpoint: str, values: dict) -> str | None:
    """Flask's ``url_build_error_handlers`` on the host and the apps standing for the converted one: an endpoint
    they lack is a converted route's or the host's, built by the Flask twin that names both (``flask_urls``) for the
    request being served, or under ``SERVER_NAME`` in an app context alone (the old tests); else the BuildError."""
    import flask
    from werkzeug.routing import BuildError

    from .stand_in import _FOR

    current = flask.current_app._get_current_object() if flask.has_app_context() else None
    app = getattr(current, "__dict__", {}).get(_FOR)  # the converted app the current Flask app stands for
    if app is None:
        return None
    from .flask_urls import flask_url_twin

    twin = flask_url_twin(app)
    if twin is None:
        return None
    values = dict(values or {})  # Flask 2.2+ hands its own arguments in the values
    anchor, method, scheme = values.pop("_anchor", None), values.pop("_method", None), values.pop("_scheme", None)
    external = bool(values.pop("_external", False)) or scheme is not None
    if flask.has_request_context():
        adapter = twin.url_map.bind_to_environ(flask.request.environ)
    else:  # an app context alone (the old tests' url_for under SERVER_NAME): Flask's own adapter for it
        adapter = twin.create_url_adapter(None)
        if adapter is None:
            return None
    try:
        options = {"url_scheme": scheme} if scheme is not None else {}  # Werkzeug < 0.15 has no url_scheme
        url = adapter.build(endpoint, values, method=method, force_external=external, **options)
    except BuildError:
        return None
    return f"{url}#{anchor}" if anchor else url


detect()
