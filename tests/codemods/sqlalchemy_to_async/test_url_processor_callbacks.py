"""Flask's URL processors (``@app.url_defaults``, ``@current_app.url_defaults``, the helper's ``@url_defaults(app)``
after flask-to-fastapi, ``@bp.url_value_preprocessor``) are called by ``url_for`` and before the hooks without
awaiting: made coroutine functions (their theme read from the database), the coroutine they returned filled
nothing and every URL lacked its value (CTFd's ``url_for("views.themes", ...)``: no route). Held sync, their
awaited calls run to their end there, with a TODO."""

from __future__ import annotations

from codemods.sqlalchemy_to_async import CODEMOD

APP = """\
from flask import current_app
from flask_sqlalchemy import SQLAlchemy

from ._flask_compat import url_defaults

db = SQLAlchemy()


class Setting(db.Model):
    key = db.Column(db.String(36), primary_key=True)
    value = db.Column(db.String(36))


def current_theme():
    return db.session.get(Setting, "theme").value


def init_processors(app):
    @url_defaults(app)
    def inject_theme(endpoint, values):
        values.setdefault("theme", current_theme())


@current_app.url_defaults
def inject_version(endpoint, values):
    values["v"] = current_theme()


def plain(endpoint, values):
    values["theme"] = current_theme()
"""


def test_url_processors_stay_sync_and_run_their_coroutines_to_the_end():
    after, _ = CODEMOD.apply(APP)
    assert "async def current_theme():" in after
    assert "\n    def inject_theme(endpoint, values):" in after  # still sync: url_for calls it
    assert '        values.setdefault("theme", _run_to_end(current_theme()))' in after
    assert "\ndef inject_version(endpoint, values):" in after
    assert "\nasync def plain(endpoint, values):" in after  # no URL processor: async as before
    compile(after, "<fixture>", "exec", dont_inherit=True)
