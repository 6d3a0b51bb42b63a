"""The Flask-style test client's requests to the app pass no stub of outgoing HTTP (vcr.py, responses-style mocks).

Flask's test client called the app through Werkzeug, unseen by the libraries a suite stubs the app's own outgoing
requests with. Starlette's ``TestClient`` is an ``httpx.Client``, and vcr.py patches ``httpx.Client.send`` (newer
releases ``_send_single_request``) while a cassette plays: the test's own request to the converted app went into
the cassette. vcr.py 4.1 failed on it (``args[1]``: httpx 0.28's ``stream`` hands the request by keyword, an
IndexError), a newer one looks the app's URL up in the cassette (not recorded: CannotOverwriteExistingCassette).
The client keeps httpx's own methods, taken as this module is imported (before any cassette runs); the app's own
clients (``httpx.Client``, ``httpx.AsyncClient``) are stubbed as before.
"""

from __future__ import annotations

from codemods.flask_to_fastapi.starlette_client import TestClient, httpx


class UnstubbedClient(TestClient):
    """Starlette's client with httpx's ``send`` (and ``_send_single_request``) as they were before any patch."""

    send = httpx.Client.send
    if hasattr(httpx.Client, "_send_single_request"):
        _send_single_request = httpx.Client._send_single_request
