"""Flask's ``MethodView.decorators``: ``as_view`` wrapped the view in each, first one innermost.

The conversion routes each HTTP method of the class on its own; ``method_view`` gives each the class's
decorators as Flask did. A decorator built with ``functools.wraps`` shows FastAPI the method's signature.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def method_view(method: Callable[..., Any]) -> Callable[..., Any]:
    """A bound method of a MethodView, wrapped in its class's ``decorators`` in order."""
    view = method
    for decorator in getattr(type(getattr(method, "__self__", None)), "decorators", None) or ():
        view = decorator(view)
    return view
