"""Flask-Login's own functions in code left on Flask read ``flask.current_app.login_manager``: a real manager.

Modules kept on Flask (a REST extension's Resources on the hosted Flask app, permission rules they call, the old
tests' ``login_user`` in ``app.test_request_context()``) import ``flask_login`` itself, whose ``current_user`` and
``login_user`` call ``current_app.login_manager._load_user()`` and friends on the Flask app standing for the
converted one (``stand_in``). That app gets a real Flask-Login ``LoginManager`` with the helper's loaders and
settings, so the user is loaded from Flask's own request and session as before.
End state: those modules converted, reading the helper's ``current_user``.
"""

from __future__ import annotations

from typing import Any

SETTINGS = (
    "anonymous_user",
    "login_view",
    "blueprint_login_views",
    "login_message",
    "login_message_category",
    "refresh_view",
    "needs_refresh_message",
    "needs_refresh_message_category",
    "session_protection",
    "localize_callback",
    "unauthorized_callback",
    "needs_refresh_callback",
    "id_attribute",
)


def flask_login_manager(manager: Any) -> Any:
    """A real ``flask_login.LoginManager`` mirroring the helper's ``manager`` (its loaders as they are now)."""
    try:
        import flask_login
    except ImportError:  # Flask-Login gone: nothing left on Flask reads it
        return manager
    real = manager.__dict__.get("_flask_login_manager")
    if real is None:
        real = manager.__dict__["_flask_login_manager"] = flask_login.LoginManager()
    if manager.user_callback is not None:
        real.user_loader(manager.user_callback)
    if manager.request_callback is not None:
        real.request_loader(manager.request_callback)
    for name in SETTINGS:
        if name in manager.__dict__ and hasattr(real, name):
            setattr(real, name, manager.__dict__[name])
    return real
