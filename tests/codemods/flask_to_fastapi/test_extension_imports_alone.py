"""A module that imports Flask-Login or Flask-HTTPAuth without Flask (``extensions.py``) gets the helper's twins.

Left on the real extension, its ``LoginManager`` reads Flask's request context, which a FastAPI request
never pushes: every login and every protected page answered 500.
"""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed

from codemods.flask_to_fastapi import CODEMOD

HELPER_TODO = (
    "# TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; "
    "end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state"
)


def test_flask_login_imported_alone_comes_from_the_helper():
    check_transformed(
        CODEMOD,
        """\
        from flask_login import LoginManager, current_user

        login_manager = LoginManager()
        """,
        f"""\
        {HELPER_TODO}
        try:
            from ._flask_compat import LoginManager, current_user
        except ImportError:
            from _flask_compat import LoginManager, current_user

        login_manager = LoginManager()
        """,
    )


def test_flask_httpauth_imported_alone_comes_from_the_helper():
    check_transformed(
        CODEMOD,
        """\
        from flask_httpauth import HTTPBasicAuth

        auth = HTTPBasicAuth()
        """,
        f"""\
        {HELPER_TODO}
        try:
            from ._flask_compat import HTTPBasicAuth
        except ImportError:
            from _flask_compat import HTTPBasicAuth

        auth = HTTPBasicAuth()
        """,
    )


def test_a_flask_login_name_without_a_twin_keeps_its_import_with_a_todo():
    check_transformed(
        CODEMOD,
        """\
        from flask_login import LoginManager, encode_cookie

        login_manager = LoginManager()
        """,
        f"""\
        {HELPER_TODO}
        try:
            from ._flask_compat import LoginManager
        except ImportError:
            from _flask_compat import LoginManager
        from flask_login import encode_cookie  # TODO(asyncshift): flask_login.encode_cookie has no helper: it reads Flask's request context: port it to the helper's request.session

        login_manager = LoginManager()
        """,  # noqa: E501
    )


def test_a_module_without_flask_login_names_is_left_alone():
    check_noop(CODEMOD, "from flask_login import user_logged_in\n\nsignal = user_logged_in\n")
