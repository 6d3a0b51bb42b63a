"""Decorators of Flask extensions registering a callback the extension calls without awaiting.

Flask-JWT-Extended asks its loaders on every protected request (``@jwt.token_in_blocklist_loader``,
``@jwt.user_lookup_loader``): a loader that reads the database became a coroutine function, and the extension took
the coroutine it returned for the answer (a coroutine is truthy: every token "revoked", every request a 401;
``current_user`` a coroutine). Held sync, its awaited calls run to their end there (``python_calls``), as the
Flask-Login loaders' do. Flask-Babel's selectors and Flask-Limiter's request filters are called the same way.
"""

from __future__ import annotations

JWT_EXTENDED = {  # 4.x, then the 3.x names
    "additional_claims_loader",
    "additional_headers_loader",
    "decode_key_loader",
    "encode_key_loader",
    "expired_token_loader",
    "invalid_token_loader",
    "needs_fresh_token_loader",
    "revoked_token_loader",
    "token_in_blocklist_loader",
    "token_verification_failed_loader",
    "token_verification_loader",
    "unauthorized_loader",
    "user_identity_loader",
    "user_lookup_error_loader",
    "user_lookup_loader",
    "claims_verification_loader",
    "claims_verification_failed_loader",
    "token_in_blacklist_loader",
    "user_claims_loader",
    "user_loader_callback_loader",
    "user_loader_error_loader",
}
BABEL = {"localeselector", "timezoneselector"}
LIMITER = {"request_filter"}
REGISTRARS = JWT_EXTENDED | BABEL | LIMITER
