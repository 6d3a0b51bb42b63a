"""Decorators of Flask extensions registering a callback the extension calls without awaiting.

Flask-JWT-Extended asks its loaders on every protected request (``@jwt.token_in_blocklist_loader``,
``@jwt.user_lookup_loader``): a loader that reads the database became a coroutine function, and the extension took
the coroutine it returned for the answer (a coroutine is truthy: every token "revoked", every request a 401;
``current_user`` a coroutine). Held sync, its awaited calls run to their end there (``python_calls``), as the
Flask-Login loaders' do. Flask-Babel's selectors and Flask-Limiter's request filters are called the same way.

A class built on a library's base class that the library calls is the same: Flask-Allows calls a ``Requirement``'s
``fulfill(user)`` (through its ``__call__``) while it checks a permission (``Permission(IsAdmin)``, ``@requires``,
``allows.requires(...)`` in a view's decorators, ``And``/``Or``/``Not``), and never awaits it: a requirement made a
coroutine function (``Forum.query.get(...)`` in it, or an override of the same method that queries) answered a
coroutine, truthy (every user an admin) or combined with ``&`` ('coroutine' & 'bool': TypeError, a 500).
factory-boy calls a factory's own hooks (``_create`` when a test calls ``Factory.create()``, ``Factory()`` or a
``SubFactory`` builds a related row) and takes what they return for the object built: a ``_create`` saving through a
repository whose ``save`` became a coroutine function answered a coroutine ('coroutine' object has no attribute 'id').

A decorator whose wrapper calls the function in place is the same: responses' ``@responses.activate`` (0.12's
wrapper, read from its source: ``with responses: return func(...)``) handed a test made ``async def`` back as a sync
function returning the coroutine. pytest did not await it (never awaited, the test skipped), and awaited elsewhere
its body would run after the wrapper's ``with`` had ended, on no stub. Held sync, the test runs under the stub again.
"""

from __future__ import annotations

from typing import Any

from codemods.sqlalchemy_to_async import library_overrides, library_registrars, old_mock

JWT_EXTENDED = {  # 4.x, then the 3.x names
    "additional_claims_loader",
    "additional_headers_loader",
    "decode_key_loader",
    "encode_key_loader",
    "expired_token_loader",
    "invalid_token_loader",
    "needs_fresh_token_loader",
    "revoked_token_loader",
    "token_in_blocklist_loader",
    "token_verification_failed_loader",
    "token_verification_loader",
    "unauthorized_loader",
    "user_identity_loader",
    "user_lookup_error_loader",
    "user_lookup_loader",
    "claims_verification_loader",
    "claims_verification_failed_loader",
    "token_in_blacklist_loader",
    "user_claims_loader",
    "user_loader_callback_loader",
    "user_loader_error_loader",
}
BABEL = {"localeselector", "timezoneselector"}
LIMITER = {"request_filter"}
REGISTRARS = JWT_EXTENDED | BABEL | LIMITER
# decorators whose wrapper calls the function without awaiting it (their dotted names, as imported)
WRAPPERS = {"responses.activate": "responses"}
# A library's base class -> the methods of its subclasses that the library calls without awaiting
FACTORY_HOOKS = {"_create", "_build", "_get_or_create", "_save", "_prepare", "_after_postgeneration", "_adjust_kwargs"}
BASE_METHODS = {
    "flask_allows": ("Flask-Allows", {"fulfill", "__call__"}),
    "factory": ("factory-boy", FACTORY_HOOKS),
}
# A library's class -> the methods of its subclasses it calls without awaiting: Flask-SQLAlchemy's ``SQLAlchemy``
# (3.x, then 2.x) calls its own factories and hooks as it builds the ``db`` and its engines (``flask_db.subclass_db``)
FLASK_SQLALCHEMY_CALLED = {"__init__", "__getattr__", "init_app", "get_engine", "engine", "engines", "metadata"}
FLASK_SQLALCHEMY_CALLED |= {"_make_declarative_base", "_make_engine", "_make_metadata", "_make_scoped_session"}
FLASK_SQLALCHEMY_CALLED |= {"_make_session_factory", "_make_table_class", "_apply_driver_defaults", "_relation"}
FLASK_SQLALCHEMY_CALLED |= {"_set_rel_query", "_teardown_session", "_call_for_binds", "create_scoped_session"}
FLASK_SQLALCHEMY_CALLED |= {"make_declarative_base", "create_session", "apply_driver_hacks", "apply_pool_defaults"}
FLASK_SQLALCHEMY_CALLED |= {"make_connector", "create_engine", "get_app", "get_binds", "get_tables_for_bind"}
FLASK_SQLALCHEMY_CALLED |= {"_execute_for_all_tables", "shutdown_session"}
CLASS_METHODS = {"flask_sqlalchemy.SQLAlchemy": ("Flask-SQLAlchemy", FLASK_SQLALCHEMY_CALLED)}


def base_held(project: Any, func: Any) -> str | None:
    """Why the library a method's class is built on (``BASE_METHODS``) calls it without awaiting, if it does; or
    a sync library it is handed to (``library_registrars``)."""
    for dotted in project.outside_bases(func.module, func.cls) if func.cls else ():
        library, methods = CLASS_METHODS.get(dotted) or BASE_METHODS.get(dotted.split(".")[0], (None, ()))
        if func.name in methods:
            return f"'{func.name}' is called by {library} ({dotted}), whose caller does not await it"
    # any library's sync method it overrides, or is handed in a class body; or handed to a sync library's object
    return library_overrides.held(project, func) or library_registrars.held(project, func)


def wrapper_held(project: Any, func: Any) -> str | None:
    """Why a decorator's wrapper (``WRAPPERS``) calls the function without awaiting, if one wraps it."""
    for decorator in func.decorators:
        dotted = project.types.dotted_decorator(func, decorator) or decorator
        library = WRAPPERS.get(dotted)
        if library is not None:
            return f"'{func.name}' is wrapped by @{decorator} ({library}), whose caller does not await it"
        reason = old_mock.held(project, func, dotted)  # ``@patch(...)`` of the mock backport before 4.0
        if reason:
            return reason
    return None
