"""Flask-JWT-Extended's loaders (``@jwt.token_in_blocklist_loader``, ``@jwt.user_lookup_loader``) are called by the
extension without awaiting: made coroutine functions, the coroutine they returned was the answer (truthy: every
token revoked, every protected request a 401). Held sync, their awaited calls run to their end there, with a TODO."""

from __future__ import annotations

from codemods.sqlalchemy_to_async import CODEMOD, unittest_cases

LOADERS = """\
from flask_jwt_extended import JWTManager
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
jwt = JWTManager()


class Token(db.Model):
    jti = db.Column(db.String(36), primary_key=True)
    revoked = db.Column(db.Boolean, default=False)


def is_token_revoked(payload):
    token = db.session.get(Token, payload["jti"])
    return token is None or token.revoked


@jwt.token_in_blocklist_loader
def check_if_token_revoked(jwt_headers, jwt_payload):
    return is_token_revoked(jwt_payload)


@jwt.user_lookup_loader
def user_loader_callback(jwt_headers, jwt_payload):
    return db.session.get(Token, jwt_payload["sub"])
"""


def _todo(call: str, name: str, decorator: str) -> str:
    return (
        f"    # TODO(asyncshift): {call} is a coroutine now, but '{name}' is registered with @{decorator}, whose "
        "caller does not await it: it runs to its end here (_run_to_end), blocking while an event loop runs in this "
        "thread; move it out to an async caller that awaits it\n"
    )


def test_jwt_loaders_stay_sync_and_run_their_coroutines_to_the_end():
    helper = unittest_cases.CODE.format(name="_run_to_end", marker=unittest_cases.SYNC_CALLER)
    after, _ = CODEMOD.apply(LOADERS)
    assert "async def is_token_revoked(payload):" in after
    assert '    token = await db.session.get(Token, payload["jti"])' in after
    assert "\ndef check_if_token_revoked(jwt_headers, jwt_payload):" in after  # still sync: JWT calls it
    assert "\ndef user_loader_callback(jwt_headers, jwt_payload):" in after
    assert "    return _run_to_end(is_token_revoked(jwt_payload))\n" in after
    assert _todo("is_token_revoked()", "check_if_token_revoked", "jwt.token_in_blocklist_loader") in after
    assert '    return db.sync_session.get(Token, jwt_payload["sub"])\n' in after  # its own query: the sync session
    assert helper.strip().splitlines()[0] in after
    compile(after, "<fixture>", "exec", dont_inherit=True)
    assert CODEMOD.apply(after)[0] == after  # a second run changes nothing


REQUIREMENTS = """\
from flask_allows import And, Permission, Requirement
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Forum(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    locked = db.Column(db.Boolean, default=False)


class IsAuthed(Requirement):
    def fulfill(self, user):
        return user.is_authenticated


class ForumNotLocked(IsAuthed):
    def __init__(self, forum_id):
        self.forum_id = forum_id

    def fulfill(self, user):
        return super().fulfill(user) and not self._forum().locked

    def _forum(self):
        return Forum.query.get(self.forum_id)


def can_post(user, forum_id):
    return Permission(And(IsAuthed(), ForumNotLocked(forum_id)), identity=user)
"""


def test_flask_allows_requirements_stay_sync():
    """Flask-Allows calls ``fulfill`` without awaiting: a requirement reading the database (and the override above
    it) stays sync, its coroutine run to its end there, not a coroutine function whose coroutine was the answer."""
    after, _ = CODEMOD.apply(REQUIREMENTS)
    assert "async def _forum(self):" in after  # the app's own helper awaits
    assert "    def fulfill(self, user):\n        return user.is_authenticated" in after
    assert "        return super().fulfill(user) and not _run_to_end(self._forum()).locked\n" in after
    assert "async def fulfill" not in after
    assert "'fulfill' is called by Flask-Allows (flask_allows.Requirement), whose caller does not await it" in after
    assert "\ndef can_post(user, forum_id):" in after
    compile(after, "<fixture>", "exec", dont_inherit=True)
    assert CODEMOD.apply(after)[0] == after
