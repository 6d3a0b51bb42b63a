"""A Flask extension's decorator handed to a project's registration helper (``decorators=[token_required()]``, the
helper wrapping each class's view in them, ``decorated_view``) runs in Flask's request context.

``decorated_view`` applied the extension's wrapper to each method's endpoint bare: the extension, left on Flask, read
``flask.request`` outside any request context and every request answered 500 ("Working outside of request context").
A decorator whose module is a Flask extension's is now applied through ``flask_request``, as one written in a class's
``decorators`` is. A stand-in extension (``flask_tokencheck``, installed, not converted).
"""

from __future__ import annotations

import textwrap

from side_by_side import converted_with_library
from starlette.testclient import TestClient
from test_registration_helper_decorators import TREE

EXTENSION = textwrap.dedent("""\
    import functools

    import flask


    def token_required():
        def decorator(view):
            @functools.wraps(view)
            def checked(*args, **kwargs):
                if flask.request.headers.get("Authorization") != "Bearer good":
                    flask.abort(401)
                flask.g.user = "token-holder"
                return view(*args, **kwargs)

            return checked

        return decorator
""")
FILES = {
    "decoapp/__init__.py": TREE["decoapp/__init__.py"],
    "decoapp/routing.py": TREE["decoapp/routing.py"],
    "decoapp/items.py": TREE["decoapp/items.py"]
    .replace(
        "from decoapp.checks import require_login, require_role\n", "from flask_tokencheck import token_required\n"
    )
    .replace('decorators=[require_role("editor"), require_login]', "decorators=[token_required()]"),
    "decoapp/main.py": "from decoapp import create_app\n\napp = create_app()\n",
}
TOKEN = {"Authorization": "Bearer good"}


def test_an_extensions_decorator_handed_to_the_helper_reads_the_request(tmp_path):
    with converted_with_library(tmp_path, {"flask_tokencheck": EXTENSION}, FILES, "decoapp.main") as app:
        client = TestClient(app)
        assert client.get("/items").status_code == 401
        assert client.get("/items", headers={"Authorization": "Bearer bad"}).status_code == 401
        answer = client.get("/items", headers=TOKEN)
        assert (answer.status_code, answer.json()["user"]) == (200, "token-holder")
        created = client.post("/items", json={"name": "three"}, headers=TOKEN)
        assert (created.status_code, created.json()["by"]) == (201, "token-holder")
        assert client.put("/items/1", json={"name": "uno"}).status_code == 401
        assert client.put("/items/1", json={"name": "uno"}, headers=TOKEN).json() == {"id": "1", "name": "uno"}
