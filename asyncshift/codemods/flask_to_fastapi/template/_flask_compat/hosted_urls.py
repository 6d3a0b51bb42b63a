"""The endpoints of REST Resources kept on Flask (``flask_hosted``), named on the Flask twin of the app's old tests.

A test calling ``flask.url_for("api.users")`` in a pushed request context builds it on the twin, which named the
FastAPI routes only: a BuildError for every Resource an ``Api`` still serves on the hosted Flask app. Their rules
are added to the twin as they are on the host (the host takes its blueprints' Resources as its first request does).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def name_hosted_rules(app: Any, twin: Any, view: Callable) -> None:
    """A rule on ``twin`` for each rule of the Flask app hosting ``app``'s REST Resources, when there is one."""
    from .flask_hosted import _ready_host

    host = _ready_host(app)
    if host is None or host is twin:
        return
    added = twin.__dict__.setdefault("_asyncshift_rules", set())
    for rule in host.url_map.iter_rules():
        if rule.endpoint == "static" or (rule.endpoint, rule.rule) in added:
            continue
        added.add((rule.endpoint, rule.rule))
        methods = sorted(set(rule.methods or ("GET",)) - {"HEAD", "OPTIONS"}) or ["GET"]
        try:
            twin.add_url_rule(rule.rule, endpoint=rule.endpoint, view_func=view, methods=methods)
        except (AssertionError, ValueError):  # a name the twin already serves otherwise
            continue
