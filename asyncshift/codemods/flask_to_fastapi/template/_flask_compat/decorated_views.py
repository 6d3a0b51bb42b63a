"""A class's view a project's registration helper wraps in decorators of its own before registering it
(``view = resource.as_view(name)``, ``for d in decorators: view = d(view)``, ``url_rule(owner, path, view_func=view)``).

Flask's view was one function answering every HTTP method of the class, the helper's decorators around it. The
converted class's view (``ClassView``) routes each method of the class on its own; wrapped whole, it was a plain
function, routed for GET alone (every POST, PUT and DELETE of those classes answered 405). ``decorated_view`` puts the
decorator around each method's endpoint instead, outside the class's own ``decorators``, as Flask's ``as_view`` view
had them (a Flask extension's decorator, ``jwt_required()``, in Flask's request context: ``flask_request``); any other
view is decorated as written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .view_registration import ClassView, _extension_callable


class _Decorated(ClassView):
    """A ``ClassView`` whose method endpoints are wrapped in ``outer`` too, first one innermost."""

    def __init__(self, view: ClassView, decorator: Callable) -> None:
        self.__dict__.update(view.__dict__)
        self.outer = [*getattr(view, "outer", ()), decorator]
        self.views = {}

    def _view(self, attribute: str) -> Callable:
        if attribute not in self.views:
            view = super()._view(attribute)
            for decorator in self.outer:
                if _extension_callable(decorator):  # it reads Flask's request: the view runs in Flask's context
                    from .flask_request import flask_request

                    decorator = flask_request(decorator)
                view = decorator(view)
            self.views[attribute] = view
        return self.views[attribute]


def decorated_view(decorator: Callable, view: Any) -> Any:
    """``decorator(view)`` as the helper wrote it, around each method's endpoint when ``view`` is a class's."""
    return _Decorated(view, decorator) if isinstance(view, ClassView) else decorator(view)
