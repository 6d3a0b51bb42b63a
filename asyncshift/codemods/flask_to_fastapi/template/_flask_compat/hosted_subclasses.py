"""A project's subclass of a REST extension's ``Api`` overriding ``init_app(app)`` or ``__init__(app)``: its own
code uses ``app`` as Flask's (``app.errorhandler(422)(...)`` after ``super().init_app(app)``, ``self.app = app``),
but got the converted APIRouter or FastAPI app (AttributeError when the app was built). Its override is handed the
Flask twin (``flask_hosted.flask_twin``) from the start, as the extension's own ``init_app`` is; so are its other
methods, of any router or app handed to them."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any


def twin_arguments(cls: type, flask_twin: Callable[[Any], Any]) -> None:
    """Wrap ``cls``'s own ``init_app``/``__init__`` so their first argument (or ``app=``) is the Flask twin, and
    its other methods so a converted router or app handed to them is (``@api.model_resource(bp, Model, "/x")``
    reading ``bp.url_prefix`` after ``isinstance(bp, Blueprint)``: it got the APIRouter)."""
    for name, own in list(cls.__dict__.items()):
        if not inspect.isfunction(own) or getattr(own, "asyncshift_twinned", False):
            continue
        if name in ("init_app", "__init__"):
            setattr(cls, name, _twinned(own, flask_twin))
        elif not name.startswith("__"):
            setattr(cls, name, _twinned(own, flask_twin, every=True))


def _twinned(own: Callable, flask_twin: Callable[[Any], Any], every: bool = False) -> Callable:
    @functools.wraps(own)
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        if every:  # flask_twin hands back anything but a FastAPI app or APIRouter as it is
            args = tuple(flask_twin(a) for a in args)
            kwargs = {k: flask_twin(v) for k, v in kwargs.items()}
        elif args:
            args = (flask_twin(args[0]), *args[1:])
        elif kwargs.get("app") is not None:
            kwargs["app"] = flask_twin(kwargs["app"])
        return own(self, *args, **kwargs)

    method.asyncshift_twinned = True
    return method
