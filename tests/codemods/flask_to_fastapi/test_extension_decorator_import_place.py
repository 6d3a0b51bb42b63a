"""The helper's ``flask_request`` import goes before the first view it wraps, not after the module's last import.

A package's ``__init__`` that makes the app, defines routes and imports its other view modules at its end (after
its routes, against the import circle) got the import below those late imports: the wrapped view's decorator ran
first (``NameError: name 'flask_request' is not defined`` at import). A stand-in extension (``flask_grants``, not
converted) plays the provider.
"""

from __future__ import annotations

import textwrap

from codemods.flask_to_fastapi import CODEMOD

LATE_IMPORTS = """\
import flask
from flask_grants import Provider

APP = flask.Flask(__name__)
grants = Provider(APP)


@APP.route('/login')
@grants.require_login
def login():
    return 'in'


# Finalize the import of other controllers
import votes.admin  # noqa
import votes.ballots  # noqa
"""


def test_the_import_comes_before_the_first_wrapped_view():
    after, _ = CODEMOD.apply(textwrap.dedent(LATE_IMPORTS))
    assert "@flask_request(grants.require_login)" in after
    imported = after.index("import flask_request")
    assert imported < after.index("@flask_request(")
    assert after.index("import votes.admin") > after.index("def login")  # the late imports stay where they were
    compile(after, "votes/__init__.py", "exec")


def test_with_no_late_import_it_follows_the_last_import_as_before():
    after, _ = CODEMOD.apply(textwrap.dedent(LATE_IMPORTS.split("# Finalize")[0]))
    assert after.index("from flask_grants import Provider") < after.index("import flask_request") < after.index("APP =")
