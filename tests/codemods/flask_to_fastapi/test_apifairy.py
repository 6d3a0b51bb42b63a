"""APIFairy's imports point at the helper's port; the returns of views it marshals are left for its schemas.

A view under APIFairy's ``@response`` (or an app's decorator built from it, in another module of the run)
returns what the schema dumps, so its ``return`` is kept; under a ``response`` that is not APIFairy's, the
view's return is still Flask's and goes through ``make_response``.
"""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed, write_tree

from codemods import runner
from codemods.flask_to_fastapi import CODEMOD

HELPER = "# TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state"  # noqa: E501
DOCS = "# TODO(asyncshift): APIFairy's /docs and /apispec.json now show FastAPI's OpenAPI document (read from the views' signatures, not from the marshmallow schemas); end state: pydantic models as parameters and response_model"  # noqa: E501


def test_apifairy_imports_point_at_the_port_and_its_views_keep_their_returns():
    check_transformed(
        CODEMOD,
        """\
        from flask import Blueprint
        from apifairy import APIFairy, body, response
        from apifairy.decorators import other_responses

        bp = Blueprint('items', __name__)
        apifairy = APIFairy()


        @bp.route('/items/<int:id>', methods=['PUT'])
        @body(ItemSchema())
        @response(ItemSchema())
        @other_responses({404: 'Item not found'})
        def edit(data, id):
            item = find(id)
            return item
        """,
        f"""\
        from fastapi import APIRouter
        {DOCS}
        try:
            from ._flask_compat.apifairy import APIFairy, body, response
        except ImportError:
            from _flask_compat.apifairy import APIFairy, body, response
        try:
            from ._flask_compat.apifairy import other_responses
        except ImportError:
            from _flask_compat.apifairy import other_responses

        bp = APIRouter(tags=['items'])
        apifairy = APIFairy()


        @bp.put('/items/{{id:int}}', name="items.edit")
        @body(ItemSchema())
        @response(ItemSchema())
        @other_responses({{404: 'Item not found'}})
        def edit(data, id: int):
            item = find(id)
            return item
        """,
    )


def test_a_response_decorator_that_is_not_apifairys_leaves_the_view_to_flasks_rules():
    check_transformed(
        CODEMOD,
        """\
        from flask import Blueprint
        from myproject.marshal import response

        bp = Blueprint('items', __name__)


        @bp.route('/items/<int:id>')
        @response(1)
        def get(id):
            item = find(id)
            return item
        """,
        f"""\
        from fastapi import APIRouter
        {HELPER}
        try:
            from ._flask_compat import make_response
        except ImportError:
            from _flask_compat import make_response
        from myproject.marshal import response

        bp = APIRouter(tags=['items'])


        @bp.get('/items/{{id:int}}', name="items.get")
        @response(1)
        def get(id: int):
            item = find(id)
            return make_response(item)
        """,
    )


def test_apifairy_imported_whole_or_a_name_the_port_lacks_is_kept_with_a_todo():
    check_transformed(
        CODEMOD,
        """\
        import apifairy
        from apifairy.core import something_new
        """,
        """\
        # TODO(asyncshift): APIFairy kept here (it reads flask.request): its decorators and APIFairy come from the helper's port (_flask_compat.apifairy)
        import apifairy
        from apifairy.core import something_new
        """,  # noqa: E501
    )


def test_a_module_that_only_names_apifairy_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        apifairy = None  # not the package
        from myproject.apifairy import body
        """,
    )


def test_an_apps_decorator_built_from_response_in_another_module_keeps_the_views_returns(tmp_path):
    decorators = (
        "from apifairy import arguments, response\n\n\n"
        "def paginated(schema):\n"
        "    def inner(f):\n"
        "        return arguments(schema)(response(schema)(f))\n\n"
        "    return inner\n\n\n"
        "def logged(f):\n"
        "    return f\n"
    )
    views = (
        "from flask import Blueprint\n\n"
        "from pkg.decorators import logged, paginated\n\n"
        "bp = Blueprint('items', __name__)\n\n\n"
        "@bp.route('/items')\n"
        "@paginated(1)\n"
        "def listed():\n"
        "    found = query()\n"
        "    return found\n\n\n"
        "@bp.route('/item')\n"
        "@logged\n"
        "def one():\n"
        "    found = query()\n"
        "    return found\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/decorators.py": decorators, "pkg/views.py": views})
    runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    converted = (tmp_path / "pkg" / "views.py").read_text()
    listed, one = converted.split("def listed")[1].split("def one")
    assert "return found\n" in listed and "make_response" not in listed
    assert "return make_response(found)" in one
    assert "from ._flask_compat.apifairy import arguments, response" in (tmp_path / "pkg" / "decorators.py").read_text()
