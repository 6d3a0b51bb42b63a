"""Flask's ``flash`` and ``get_flashed_messages`` (in code and templates) on the signed-cookie session.

Messages live in the session as Flask keeps them; end state: a message list kept in ``request.session``.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

try:
    from jinja2 import pass_context
except ImportError:  # Jinja2 < 3.0
    from jinja2 import contextfunction as pass_context

from .template_request import starlette_request


def flash(request: Request, message: str, category: str = "message") -> None:
    flashes = request.session.get("_flashes", [])
    flashes.append((category, message))
    request.session["_flashes"] = flashes


def get_flashed_messages(request: Request, with_categories: bool = False, category_filter: Any = ()) -> list:
    if "_flask_compat_flashes" not in request.scope:
        session = request.session if "session" in request.scope else {}
        request.scope["_flask_compat_flashes"] = (
            [tuple(f) for f in session.pop("_flashes", [])] if "_flashes" in session else []
        )
    flashes = request.scope["_flask_compat_flashes"]
    if category_filter:
        flashes = [f for f in flashes if f[0] in category_filter]
    return list(flashes) if with_categories else [f[1] for f in flashes]


@pass_context
def _template_flashes(context: dict, with_categories: bool = False, category_filter: Any = ()) -> list:
    return get_flashed_messages(starlette_request(context["request"]), with_categories, category_filter)
