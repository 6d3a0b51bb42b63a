"""A real Flask-Login ``LoginManager`` on the converted app, made by an extension left on Flask (Flask-Security's
``init_app`` sets ``app.login_manager``): ``current_user`` reads its loaders under either version's names (0.4's
``user_callback``, 0.5+'s ``_user_callback``: the helper read the latter, AttributeError on every request), and runs
them, Flask code reading ``current_app`` and ``flask.request``, in Flask's request context."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .login_set_by_app import installed_version, on_request_context


def _callback(manager: Any, name: str) -> Callable | None:
    return getattr(manager, f"_{name}", None) or getattr(manager, name, None)


def _foreign(manager: Any) -> bool:
    return any(cls.__module__.split(".")[0] == "flask_login" for cls in type(manager).__mro__)


def loaders(manager: Any) -> tuple[Callable | None, Callable | None]:
    """The user loader (given a user id) and the request loader (given the helper's request)."""
    by_id, by_request = _callback(manager, "user_callback"), _callback(manager, "request_callback")
    if not _foreign(manager):
        return by_id, by_request
    from .flask_request import in_flask_request

    def load(user_id: Any) -> Any:
        return in_flask_request(by_id, user_id)

    def load_from(_request: Any) -> Any:
        import flask

        return in_flask_request(lambda: by_request(flask.request))

    return load if by_id else None, load_from if by_request else None


def identifier(manager: Any) -> str:
    """Flask-Login's session identifier; a real manager's reads ``flask.request``."""
    if not _foreign(manager):
        return manager._session_identifier_generator()
    from .flask_request import in_flask_request

    return in_flask_request(manager._session_identifier_generator)


def user_id_key(manager: Any) -> str:
    """The session key of the signed-in user's id: a real Flask-Login 0.4's ``login_user`` wrote ``user_id`` (0.5
    renamed it ``_user_id`` with its callbacks, which a 0.4 manager has without the underscore)."""
    if _foreign(manager) and not hasattr(manager, "_user_callback") and hasattr(manager, "user_callback"):
        return "user_id"
    return "_user_id"


def session_key(manager: Any, name: str) -> str:
    """Flask-Login's session key for ``name`` (``user_id``, ``remember``, ``remember_seconds``): bare for a real 0.4
    manager, as its ``login_user`` wrote and its ``current_user`` and remember-cookie hook read them; 0.5+'s (and the
    helper's) start with an underscore."""
    return name if user_id_key(manager) == "user_id" else "_" + name


def user_on_request(manager: Any) -> bool:
    """Flask-Login before 0.6.2, which kept the loaded user on the request context (0.6.2+: on ``g``): a real manager's,
    or the helper's own where the app's Flask-Login (still installed beside it) is one. A suite's app context shares
    ``g`` between its requests and tests: the user the first request loaded stayed, an object of a session and a
    transaction its test had rolled back, where the app's Flask-Login loaded it anew in each request (the next test's
    user of the same id: its view changed the old test's rows, or 'Can't attach instance ... already present')."""
    if manager is None:
        return False
    if _foreign(manager) and not hasattr(manager, "_user_callback"):  # 0.4's names
        return True
    return installed_version() is not None and on_request_context()  # read once: this runs in every request
