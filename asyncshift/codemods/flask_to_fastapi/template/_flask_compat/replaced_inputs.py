"""``request.form`` as the app replaced it: Flask's request was one object, so a hook's ``request.form = dict(...)``
(a merged, mutable copy) was what the view, its helpers and the later hooks read as ``request.form``.

flask-to-fastapi writes the assignment as ``request.state.form = ...``; the helper's readers of the form
(``request_form`` outside views, the ``read_form`` dependency of views) answer that replacement once it is set.
End state: a dependency that builds the merged mapping and hands it to the views.
"""

from __future__ import annotations

from typing import Any


def replaced_form(request: Any) -> Any:
    """What the app assigned to ``request.form`` in this request (kept on ``request.state``), or None."""
    return (request.scope.get("state") or {}).get("form")
