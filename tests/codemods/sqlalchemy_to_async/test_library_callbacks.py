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
