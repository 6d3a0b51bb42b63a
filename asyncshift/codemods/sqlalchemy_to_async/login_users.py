"""Flask-Login's ``current_user`` read as the run's one user class: ``current_user.projects`` is that class's
relationship, ``current_user.delete`` its (or its base's) method.

The proxy is imported from outside the run (``ref:flask_login.current_user``), so what was read off it was of
no known type: in a view left sync, ``for p in current_user.projects: p.save()`` called a coroutine function
nobody awaited (the write dropped, no TODO), and the colouring did not make the view async for it. Behind the
proxy is the user loader's object, an instance of a class built on Flask-Login's ``UserMixin``, or the anonymous
user. Where the run has one such class (its subclasses are of it too), a member read off the proxy is that
class's, unless an anonymous class of the run's own (built on ``AnonymousUserMixin``) has a member of that name
too (``Guest.can`` answering False beside ``User.can`` querying): then the proxy's member stays untyped and its
calls are typed by every user class (``unknown_receivers``: awaited through ``_awaited``, which gives the
anonymous class's sync value as it is). Flask-Login's own anonymous user has none of the model's members: read
there, they raise before and after the conversion alike. The proxy itself handed to a function
(``get_schema_for_user_projects(current_user, url)``) is of the user class where the run has no anonymous class
(``handed_params``): the parameter was typed by nothing, and ``user.joined_projects()`` in it got a TODO.
"""

from __future__ import annotations

from typing import Any

from codemods.sqlalchemy_to_async import model_bases
from codemods.sqlalchemy_to_async.exprs import dotted

LOGIN_PROXY = "current_user"
LOGIN_MODULES = ("flask_login", "flask_login.utils")
HELPER_PACKAGE = "_flask_compat"  # flask-to-fastapi's helper package re-exports the proxy
USER_BASE, ANONYMOUS_BASE = "UserMixin", "AnonymousUserMixin"
USER_BASES = (USER_BASE, ANONYMOUS_BASE)


def is_login_proxy(kind: str | None) -> bool:
    """``ref:flask_login.current_user`` (or flask-to-fastapi's ``pkg._flask_compat.current_user``)."""
    if not kind or not kind.startswith("ref:"):
        return False
    module, _, name = kind[4:].rpartition(".")
    return name == LOGIN_PROXY and (module in LOGIN_MODULES or module.rpartition(".")[2] == HELPER_PACKAGE)


def user_class(project: Any, name: str | None) -> str | None:
    """``inst:module:Class`` of the run's one user class (built on ``UserMixin``; its subclasses are of it) for a
    member ``name`` read off the proxy (None: the proxy itself); None where there is no such class or more than
    one, or where an anonymous class of the run has a member ``name`` (for the proxy itself: where there is one)."""
    key = "_asyncshift_login_users"
    if key not in project.__dict__:
        project.__dict__[key] = _users(project)
    user, anonymous = project.__dict__[key]
    return user if (name not in (anonymous or ()) if name is not None else anonymous is None) else None


def _users(project: Any) -> tuple[str | None, set[str] | None]:
    """The one user class (or None) and the members of the run's anonymous classes (None: it has none)."""
    users, anonymous = {}, None
    for module in project.modules.values():
        for cls in module.classes.values():
            lineage = project.mro(cls.module, cls.qualname)
            bases = {(dotted(b) or "").rpartition(".")[2] for c in lineage for b in c.bases}
            if ANONYMOUS_BASE in bases:
                anonymous = (anonymous or set()) | {name for c in lineage for name in (*c.methods, *c.attrs)}
            elif USER_BASE in bases:
                users[(cls.module, cls.qualname)] = {(c.module, c.qualname) for c in lineage[1:]}
    roots = [key for key, above in users.items() if not above & users.keys()]
    return (f"inst:{roots[0][0]}:{roots[0][1]}" if len(roots) == 1 else None), anonymous


def proxied_member(types: Any, base: str, name: str) -> str | None:
    """A member read off a proxy to the logged-in user (``base`` a ``ref:`` type): the ``model_class``'s method
    (``model_bases``: every model has it), else the user class's member; None where neither is known."""
    found = model_bases.proxied_member(types.project, base, name)
    user = user_class(types.project, name) if found is None and is_login_proxy(base) else None
    return types.member(user, name) if user is not None else found


def instance(types: Any, kind: str | None, name: str) -> str | None:
    """``kind``, or the user class's ``inst:`` type where ``kind`` is the proxy's and ``name`` the member read off
    it (a loop over ``current_user.projects``: rows of the relationship's class)."""
    user = user_class(types.project, name) if is_login_proxy(kind) else None
    return user or kind


def handed(types: Any, kind: str | None) -> str | None:
    """``kind`` of a value handed to a parameter (``handed_params``), the proxy itself the user class's ``inst:``
    type where the run has no anonymous class of its own: ``get_schema_for_user_projects(current_user, url)``
    beside a test's ``get_schema_for_user_projects(user, url)`` hands one type."""
    user = user_class(types.project, None) if is_login_proxy(kind) else None
    return user or kind
