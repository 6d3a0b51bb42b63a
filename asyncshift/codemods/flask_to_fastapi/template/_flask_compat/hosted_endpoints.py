"""The endpoint and view of a request a REST extension's Resource kept on Flask answers (``flask_hosted``).

Flask's ``request.endpoint`` and ``app.view_functions`` named the Resources too (``api.users_me``): a
``before_request`` hook looking the request's view up (a CSRF check reading an exemption mark) found None and a
KeyError, and answered 404 to every request of the Api. They are read from the Flask app hosting them.
"""

from __future__ import annotations

from typing import Any


def hosted_endpoint(scope: dict) -> str | None:
    """The hosting Flask app's endpoint for the request, or None when none of its rules takes it."""
    host = getattr(scope.get("app"), "__dict__", {}).get("flask_host")
    if host is None or scope.get("type") != "http":
        return None
    root, path = scope.get("root_path") or "", scope.get("path", "/")
    try:
        endpoint, _ = host.url_map.bind("localhost").match(
            path[len(root) :] if root and path.startswith(root) else path, method=scope.get("method", "GET")
        )
    except Exception:  # no rule, a 405, a redirect: Flask had no endpoint either
        return None
    return endpoint


def hosted_views(app: Any) -> dict:
    """The hosting Flask app's views by endpoint (none without one)."""
    host = getattr(app, "__dict__", {}).get("flask_host")
    return dict(getattr(host, "view_functions", None) or {})
