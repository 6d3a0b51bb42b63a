"""The request handed on as a value (``audit.send(..., request=request)``, ``HmacAuth.authenticate(request)``):
Werkzeug's attributes on it, as the code receiving it reads them.

What the request is handed to is the app's own code (or a library's), which the conversion does not rewrite: it
reads ``r.endpoint``, ``r.args.to_dict()``, ``r.get_json(silent=True)``, ``r.data``, ``r.remote_addr``, ``r.url``
(a str) and ``r.origin`` on it as on Flask's request. ``handed_request(request)`` is the Starlette request under
those names: the body through the helper's readers (Flask's rules for JSON), any other Werkzeug attribute Starlette
lacks (``origin``, ``user_agent``, ``if_none_match``...) read on Werkzeug's request over the environ rebuilt from
the scope, and whatever Starlette's request has (``headers``, ``method``, ``state``) its own.
End state: hand the receiving code the values it reads, or give it a ``Request`` parameter and Starlette's names.
"""

from __future__ import annotations

from typing import Any

from .inputs import request_data, request_files, request_form, request_json
from .request_values import request_values
from .template_request import TemplateRequest
from .werkzeug_request import werkzeug_request


class HandedRequest(TemplateRequest):
    """The Starlette request (or the helper's proxy of it) with Werkzeug's names for what a receiver reads."""

    def __getattr__(self, name: str) -> Any:
        try:
            return getattr(self.starlette, name)
        except AttributeError:
            if name.startswith("_"):
                raise
        return getattr(werkzeug_request(self.starlette), name)  # Werkzeug's header reads: origin, user_agent...

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.starlette, name, value)  # the request's own, as the receiver's next read of it sees

    def get_data(self, cache: bool = True, as_text: bool = False, parse_form_data: bool = False) -> Any:
        return request_data(self.starlette, cache, as_text, parse_form_data)

    @property
    def data(self) -> bytes:
        return request_data(self.starlette, parse_form_data=True)

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        return request_json(self.starlette, force=force, silent=silent)

    @property
    def json(self) -> Any:
        return request_json(self.starlette)

    @property
    def is_json(self) -> bool:
        return werkzeug_request(self.starlette).is_json

    @property
    def form(self) -> Any:
        return request_form(self.starlette)

    @property
    def files(self) -> Any:
        return request_files(self.starlette)

    @property
    def values(self) -> Any:
        return request_values(self.starlette)

    @property
    def user_agent(self) -> Any:
        return werkzeug_request(self.starlette).user_agent


def handed_request(request: Any) -> Any:
    """The request as the code it is handed to reads it (Flask's own, a test's stand-in: as it is)."""
    if isinstance(request, HandedRequest) or not hasattr(request, "scope"):
        return request
    return HandedRequest(request)
