"""Flask's ``render_template`` with its template context, context processors, filters and globals.

Templates render with what Flask put in them; end state: ``templates.TemplateResponse(request, name, {...})``.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import Request

from .context import _current
from .face import flask_app_context
from .login import _load_user
from .template_request import TemplateRequest

_SHARED_TEMPLATE_PARTS: dict[str, dict] = {"filters": {}, "globals": {}}
_SHARED_CONTEXT_PROCESSORS: list[Callable] = []


def context_processor(target: Any) -> Callable[[Callable], Callable]:
    def decorator(fn: Callable) -> Callable:
        getattr(target, "context_processors", _SHARED_CONTEXT_PROCESSORS).append(fn)
        return fn

    return decorator


def _template_part(kind: str):
    def register(target: Any, name: str | None = None) -> Callable[[Callable], Callable]:
        def decorator(fn: Callable) -> Callable:
            env = getattr(target, "jinja_env", None)
            (getattr(env, kind) if env is not None else _SHARED_TEMPLATE_PARTS[kind])[name or fn.__name__] = fn
            return fn

        return decorator

    return register


template_filter = _template_part("filters")
template_global = _template_part("globals")


def _template_context(request: Request) -> dict:
    app = request.app
    context = {
        "g": request.state,
        "config": getattr(app, "config", {}),
        "session": request.session if "session" in request.scope else {},
    }
    if getattr(app, "login_manager", None) is not None:
        context["current_user"] = _load_user(request)
    for processor in [*getattr(app, "context_processors", ()), *_SHARED_CONTEXT_PROCESSORS]:
        context.update(processor() if not inspect.signature(processor).parameters else processor(request))
    return context


def _context(request: Request, context: dict) -> dict:
    full = {"request": TemplateRequest(request), **_template_context(request)}
    full.update(context)
    return full


def flask_rendered_context() -> dict:
    """What the app's own templates see (``current_user``, its context processors, ``request``, ``session``) for a
    template Flask's own ``render_template`` renders on a Flask app standing for it (an installed theming extension's
    render function called by the app's views): that app's context processors were Flask's default only. A context
    processor of that app, run before Flask's default, whose ``g``/``request``/``session`` win where Flask has them."""
    request = _current.get(None)
    return _context(request, {}) if request is not None else {}


@contextlib.contextmanager
def _flask_context_in_this_thread(app: Any) -> Iterator[None]:
    """Extensions' context processors and template globals read ``flask.current_app``: before Werkzeug 2.0
    Flask's contexts were thread-locals, so the one pushed per request is not seen by a sync view's worker
    thread; push it here too when this thread has none."""
    try:
        import flask
    except ImportError:
        flask = None
    context = flask_app_context(app) if flask is not None and not flask.has_app_context() else None
    if context is not None:
        context.push()
    try:
        yield
    finally:
        if context is not None:
            context.pop()


def render_template(request: Request, template_name_or_list: str | list[str], **context: Any) -> str:
    """Flask's ``render_template``: the rendered text, with Flask's template globals."""
    env = request.app.jinja_env
    for kind, parts in _SHARED_TEMPLATE_PARTS.items():
        getattr(env, kind).update(parts)
    template = env.get_or_select_template(template_name_or_list)
    with _flask_context_in_this_thread(request.app):
        return _rendered(request.app, template, _context(request, context))


def render_template_string(request: Request, source: str, **context: Any) -> str:
    with _flask_context_in_this_thread(request.app):
        return _rendered(request.app, request.app.jinja_env.from_string(source), _context(request, context))


def _rendered(app: Any, template: Any, context: dict) -> str:
    """The template's text, between Flask's ``before_render_template`` and ``template_rendered`` signals sent for the
    app, as Flask's ``render_template`` sends them: a test's receiver (``template_rendered.connect(record, app)``,
    asserting which templates a view or a mail helper rendered, with what context) recorded nothing. Where Flask
    (or blinker) is not installed, no receiver can be connected."""
    try:
        from flask import signals
    except ImportError:
        signals = None
    available = signals is not None and getattr(signals, "signals_available", True)
    before = getattr(signals, "before_render_template", None) if available else None  # Flask 0.11+
    if before is not None:
        before.send(app, template=template, context=context)
    text = template.render(context)
    if available:
        signals.template_rendered.send(app, template=template, context=context)
    return text
