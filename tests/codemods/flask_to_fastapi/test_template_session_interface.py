"""An app's own Flask session interface (``app.session_interface = ServerSideSessions()``: the session kept in a
server-side store under a signed id in the cookie, its class with ``regenerate()``) opens and saves the session of
the converted app and of the test client's ``session_transaction()``; the helper's signed-cookie session had no
``regenerate`` (AttributeError, 500 at every login) and read no session the interface wrote."""

from __future__ import annotations

from side_by_side import ask_both, convert_tree, load

SESSIONS = """\
from uuid import uuid4

from flask.sessions import SessionInterface, SessionMixin
from itsdangerous import BadSignature, Signer
from werkzeug.datastructures import CallbackDict

STORE = {}


class StoredSession(CallbackDict, SessionMixin):
    def __init__(self, initial=None, sid=None):
        def on_update(self):
            self.modified = True

        CallbackDict.__init__(self, initial, on_update)
        self.sid = sid
        self.modified = False

    def regenerate(self):
        STORE.pop(self.sid, None)
        self.sid = None
        self.modified = True


class ServerSideSessions(SessionInterface):
    session_class = StoredSession

    def open_session(self, app, request):
        signer = Signer(app.secret_key)
        sid = request.cookies.get(app.config["SESSION_COOKIE_NAME"])
        if sid:
            try:
                sid = signer.unsign(sid).decode()
            except BadSignature:
                sid = None
        if sid and sid in STORE:
            return self.session_class(dict(STORE[sid]), sid=sid)
        return self.session_class(sid=sid or str(uuid4()))

    def save_session(self, app, session, response):
        name = app.config["SESSION_COOKIE_NAME"]
        if not session:
            if session.modified:
                STORE.pop(session.sid, None)
                response.delete_cookie(name, path="/")
            return
        if session.modified:
            if session.sid is None:
                session.sid = str(uuid4())
            STORE[session.sid] = dict(session)
            signed = Signer(app.secret_key).sign(session.sid.encode()).decode()
            response.set_cookie(name, signed, httponly=True, path="/")
"""

APP = """\
from flask import Flask, session

from storedapp.sessions import STORE, ServerSideSessions

app = Flask(__name__)
app.secret_key = "k"
app.session_interface = ServerSideSessions()


@app.route("/login/<int:user>")
def login(user):
    session.regenerate()
    session["id"] = user
    return {"stored": len(STORE)}


@app.route("/me")
def me():
    return {"id": session.get("id"), "stored": len(STORE)}


@app.route("/logout")
def logout():
    session.clear()
    return {"stored": len(STORE)}
"""


def _session_ids(client):
    with client.session_transaction() as sess:
        seen = sess.get("id")
        sess["id"] = 7
    return seen


def test_the_apps_own_session_interface_opens_and_saves_the_session(tmp_path):
    (tmp_path / "src" / "storedapp").mkdir(parents=True)
    (tmp_path / "src" / "storedapp" / "__init__.py").write_text(APP)
    (tmp_path / "src" / "storedapp" / "sessions.py").write_text(SESSIONS)
    flask_app = load(tmp_path / "src", "storedapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "storedapp")
    requests = [("GET", "/me"), ("GET", "/login/3"), ("GET", "/me"), ("GET", "/login/4"), ("GET", "/me")]
    requests += [("GET", "/logout"), ("GET", "/me")]
    for request, before, after in ask_both(flask_app, fastapi_app, requests):
        assert (after.status, after.json) == (before.status, before.json), request
    from codemods.flask_to_fastapi.testclient import FlaskStyleClient

    flask_client, fastapi_client = flask_app.test_client(), FlaskStyleClient(fastapi_app)
    for client in (flask_client, fastapi_client):
        client.get("/login/5")
    assert _session_ids(fastapi_client) == _session_ids(flask_client) == 5
    assert fastapi_client.get("/me").get_json() == flask_client.get("/me").get_json()
    # a test's own request context opens the session through the interface too
    seen = []
    for app, client in ((flask_app, flask_client), (fastapi_app, fastapi_client)):
        cookie = f"session={client.get_cookie('session').value}"
        with app.test_request_context("/me", headers={"Cookie": cookie}) as context:
            seen.append(context.session.get("id"))
    assert seen == [7, 7]
