"""Flask's ``request`` attributes in Starlette's words, for views and for code outside them alike.

Each entry is replacement text with ``{r}`` for the name the request has; what has no twin gets a TODO.
"""

from __future__ import annotations

# request.<attr> -> replacement text, with {r} for the request name
ATTRIBUTES = {
    "method": "{r}.method",
    "path": "request_path({r})",  # Werkzeug's: under the script root (url.path holds the root_path)
    "url": "str({r}.url)",
    "base_url": "str({r}.url.replace(query=''))",
    "url_root": "str({r}.base_url)",
    "host_url": "str({r}.base_url)",
    "host": "{r}.url.netloc",
    "scheme": "{r}.url.scheme",
    "full_path": "(request_path({r}) + '?' + {r}.url.query)",
    "query_string": "{r}.url.query.encode()",
    "remote_addr": "({r}.client.host if {r}.client else None)",
    "is_secure": "({r}.url.scheme == 'https')",
    "is_json": "({r}.headers.get('content-type', '').split(';')[0].strip().endswith(('/json', '+json')))",
    "referrer": "{r}.headers.get('referer')",
    "user_agent": "{r}.headers.get('user-agent', '')",
    "content_type": "{r}.headers.get('content-type')",
    "mimetype": "{r}.headers.get('content-type', '').split(';')[0]",
    "content_length": "int({r}.headers.get('content-length', 0)) or None",
    "endpoint": "request_endpoint({r})",
    "blueprint": "request_blueprint({r})",
    "view_args": "{r}.path_params",
    "state": "{r}.state",
    "session": "{r}.session",
    "app": "{r}.app",
    "client": "{r}.client",
    "query_params": "{r}.query_params",
    "path_params": "{r}.path_params",
    # Werkzeug's Accept objects, parsed from the headers by the helper (best_match, in, accept_json)
    "accept_mimetypes": "accept_mimetypes({r})",
    "accept_languages": "accept_languages({r})",
    "accept_charsets": "accept_charsets({r})",
    "accept_encodings": "accept_encodings({r})",
    # Werkzeug's Authorization parsed from the header; the WSGI environ rebuilt from the scope
    "authorization": "request_authorization({r})",
    "environ": "request_environ({r})",
    "access_route": "request_access_route({r})",  # X-Forwarded-For's addresses, else the client's
    "script_root": "{r}.scope.get('root_path', '')",
    "origin": "{r}.headers.get('origin')",  # Werkzeug's header_property of Origin
}
# what Werkzeug parses from a header (ETags, datetimes, Range, CacheControl...), read on its own request over the
# environ rebuilt from the scope
PARSED_HEADERS = (
    "if_match",
    "if_none_match",
    "if_modified_since",
    "if_unmodified_since",
    "if_range",
    "range",
    "cache_control",
    "pragma",
    "date",
    "max_forwards",
    "content_encoding",
    "content_md5",
    "mimetype_params",
)
ATTRIBUTES.update({attr: f"werkzeug_request({{r}}).{attr}" for attr in PARSED_HEADERS})
HELPERS = {  # their imports
    "accept_mimetypes",
    "accept_languages",
    "accept_charsets",
    "accept_encodings",
    "request_endpoint",
    "request_blueprint",
    "request_authorization",
    "request_environ",
    "request_access_route",
    "request_path",
    "werkzeug_request",
    "flask_json",  # a view's get_json() on the body FastAPI parsed (json_reads)
}
DYNAMIC_MAPPINGS = {"args": "{r}.query_params", "headers": "{r}.headers", "cookies": "{r}.cookies"}
# a view's request.form/files/values: a dependency the helper reads the body in (name, name if taken, type, reader)
BODY_MAPPINGS = {
    "form": ("form_data", "request_form", "FormData", "read_form"),
    "files": ("form_data", "request_form", "FormData", "read_form"),  # the same form, its files
    "values": ("values_data", "form_values", "Any", "read_values"),  # Werkzeug's CombinedMultiDict
}
UNSUPPORTED = {
    "stream": "request.stream: use 'async for chunk in request.stream()' in an async def view",
}


def helpers_of(attr: str) -> set[str]:
    """The helper functions the replacement of ``request.<attr>`` calls (to import)."""
    return {name for name in HELPERS if f"{name}(" in ATTRIBUTES.get(attr, "")}


def no_twin(attr: str) -> str:
    """The TODO for a ``request.<attr>`` this table does not know."""
    return f"request.{attr} has no direct Starlette twin: read it from the Request object by hand"
