"""A multipart body whose boundary lines follow a bare ``\\n`` (a hand-built body, some clients) parses as Werkzeug
parsed it.

Werkzeug takes any line break before a boundary (``\\r\\n``, ``\\n`` or ``\\r``); python-multipart, which Starlette
parses with, only ``\\r\\n``: the part ran on past the boundary and the form came out empty (a file upload
missing, no error). The body read ahead (``inputs.read_form_ahead``) has each such break made ``\\r\\n`` before it
is parsed. End state: clients that send ``\\r\\n``.
"""

from __future__ import annotations

import re
from typing import Any


def crlf_boundaries(request: Any) -> None:
    """Make every line break before the request's multipart boundary ``\\r\\n`` in the body it has read."""
    kind, _, options = request.headers.get("content-type", "").partition(";")
    found = re.search(r'boundary="?([^";]+)"?', options)
    body = getattr(request, "_body", None)
    if kind.strip().lower() != "multipart/form-data" or found is None or body is None:
        return
    boundary = re.escape(b"--" + found.group(1).encode("latin-1"))
    request._body = re.sub(rb"(?:\r\n|\n|\r)(?=" + boundary + rb")", b"\r\n", body)
