"""The strangler: one ASGI app that sends each request to the new (ASGI) app or the old (WSGI) one.

Each request is named by a target (``target_of(method, path)``, e.g. from the new app's route
table: ``RouteTargets``), and the target's stage, read per request, picks the side:

  ``sync``   old app serves          ``shadow``  old app serves, new app replays reads
  ``async``  new app serves          ``live``    new app serves, old app replays reads

The package, one idea a module:

- ``strangler``: ``Strangler``, the ASGI app itself: routes, serves, replays;
- ``targets``: naming a request's target from a route table (``RouteTargets``, ``tag_target``);
- ``wsgi_runner``: the old (WSGI) app under the ASGI server, one thread handoff per request;
- ``mounts``: which paths a mounted app (static files, a sub-app) answers: served, not replayed;
- ``responses``: a response captured on its way out, as data to compare (``comparable_body``);
- ``lifespan``: the strangler's ASGI lifespan, driving the new app's own;
- ``asgi``: ASGI types and the small message helpers the strangler composes;
- ``gc_tuning``: ``settle_gc``, a startup hook for server processes.
"""

from compat.web.gc_tuning import GC_YOUNG_THRESHOLD, settle_gc
from compat.web.responses import MAX_COMPARED_BYTES, comparable_body, html_text
from compat.web.strangler import READ_METHODS, REPLAY_HEADER, SERVED_BY, Strangler
from compat.web.targets import DEFAULT_TARGET, RouteTargets, flat_routes, tag_target

__all__ = [
    "DEFAULT_TARGET",
    "GC_YOUNG_THRESHOLD",
    "MAX_COMPARED_BYTES",
    "READ_METHODS",
    "REPLAY_HEADER",
    "SERVED_BY",
    "RouteTargets",
    "Strangler",
    "comparable_body",
    "flat_routes",
    "html_text",
    "settle_gc",
    "tag_target",
]
