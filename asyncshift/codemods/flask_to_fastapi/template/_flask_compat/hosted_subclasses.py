"""A project's subclass of a REST extension's ``Api`` overriding ``init_app(app)`` or ``__init__(app)``: its own
code uses ``app`` as Flask's (``app.errorhandler(422)(...)`` after ``super().init_app(app)``, ``self.app = app``),
but got the converted APIRouter or FastAPI app (AttributeError when the app was built). Its override is handed the
Flask twin (``flask_hosted.flask_twin``) from the start, as the extension's own ``init_app`` is."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


def twin_arguments(cls: type, flask_twin: Callable[[Any], Any]) -> None:
    """Wrap ``cls``'s own ``init_app``/``__init__`` so their first argument (or ``app=``) is the Flask twin."""
    for name in ("init_app", "__init__"):
        own = cls.__dict__.get(name)
        if own is None or getattr(own, "asyncshift_twinned", False):
            continue
        setattr(cls, name, _twinned(own, flask_twin))


def _twinned(own: Callable, flask_twin: Callable[[Any], Any]) -> Callable:
    @functools.wraps(own)
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        if args:
            args = (flask_twin(args[0]), *args[1:])
        elif kwargs.get("app") is not None:
            kwargs["app"] = flask_twin(kwargs["app"])
        return own(self, *args, **kwargs)

    method.asyncshift_twinned = True
    return method
