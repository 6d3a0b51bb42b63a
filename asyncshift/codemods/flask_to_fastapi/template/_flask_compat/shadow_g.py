"""Flask's ``appcontext_pushed`` and ``g`` on the Flask app context behind the extensions, as old tests use them.

A test sets the user with a receiver of Flask's ``appcontext_pushed`` connected for the app
(``appcontext_pushed.connected_to(handler, app)``, the handler setting ``flask.g.user``). Flask sends the signal
with the Flask app behind the extensions (``face.flask_app_context``), another object than the converted app: the
receiver never ran; and the converted views read the helper's ``g`` (the request's state), not Flask's. Here the
receivers connected for the app get the signal too, and Flask's ``g`` of a context pushed for a request is that
request's ``g`` (for the helper's app context or test request context, that context's). End state: the tests set
what they need through FastAPI's dependency overrides.
"""

from __future__ import annotations

from typing import Any

from .context import _current


def forward_pushed(flask: Any, shadow: Any, app: Any) -> None:
    """Receivers of ``appcontext_pushed`` connected for ``app`` run when ``shadow``'s context is pushed."""
    if not getattr(getattr(flask, "signals", None), "signals_available", True):
        return  # Flask before 2.3 without blinker: no receiver can be connected, and connect() raises
    signal = flask.appcontext_pushed

    def forward(sender: Any, **kwargs: Any) -> None:
        anyone = {id(r) for r in signal.receivers_for(object())}  # connected for any sender: they had theirs
        for receiver in [r for r in signal.receivers_for(app) if id(r) not in anyone]:
            receiver(app, **kwargs)

    shadow.__dict__["_asyncshift_forward_pushed"] = forward  # blinker keeps its receivers by weak reference
    signal.connect(forward, sender=shadow)


class SharedG:
    """The Flask app context pushed for a request: its ``g`` is the request's (what its receivers set, kept).

    Pushed for the helper's own app context or ``test_request_context()`` (``data``: that context's ``g``), its ``g``
    is that one: in Flask the test's ``app.app_context()`` is the one app context its requests and its
    ``test_request_context()`` reuse, so what an extension put on Flask's ``g`` there (Flask-Principal's
    ``g.identity``, set by its hook or a test's ``identity_changed``) the test's permission checks read after.
    """

    def __init__(self, context: Any, data: dict | None = None):
        self.context, self.data = context, data

    def push(self) -> None:
        self.context.push()
        request = _current.get(None)
        g = getattr(self.context, "g", None)
        state = self.data
        if state is None and request is not None:
            state = request.scope.setdefault("state", {})
        if state is not None and g is not None and hasattr(g, "__dict__"):
            if g.__dict__ is not state:
                state.update(vars(g))
                object.__setattr__(g, "__dict__", state)  # Flask 2.0+'s g.__setattr__ would store a "__dict__" key

    def pop(self, *args: Any) -> None:
        self.context.pop(*args)

    def __enter__(self) -> Any:
        self.push()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.pop(exc_info[1])

    def __getattr__(self, name: str) -> Any:
        return getattr(self.context, name)
