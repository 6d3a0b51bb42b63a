"""flask-apispec's imports point at the helper's port; the returns of views it wraps are left for its schemas.

A view under flask-apispec's ``@use_kwargs`` or ``@marshal_with`` returns what flask-apispec dumps and formats as
JSON, so its ``return`` is kept; a name the port lacks (``MethodResource``) keeps the library, with a TODO.
"""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed

from codemods.flask_to_fastapi import CODEMOD

DOCS = "# TODO(asyncshift): flask-apispec's /swagger/ now shows FastAPI's OpenAPI document (/docs, read from the views' signatures, not from the marshmallow schemas); end state: pydantic models as parameters and response_model"  # noqa: E501
KEPT = "# TODO(asyncshift): flask-apispec kept here (it reads flask.request: MethodResource and the rest have no port); use_kwargs, marshal_with, doc and FlaskApiSpec come from the helper's port (_flask_compat.apispec)"  # noqa: E501


def test_apispec_imports_point_at_the_port_and_its_views_keep_their_returns():
    check_transformed(
        CODEMOD,
        """\
        from flask import Blueprint
        from flask_apispec import marshal_with, use_kwargs
        from marshmallow import fields

        bp = Blueprint('items', __name__)


        @bp.route('/items/<slug>', methods=('PUT',))
        @use_kwargs({'name': fields.Str()})
        @marshal_with(ItemSchema())
        def edit(slug, name=None, **kwargs):
            item = find(slug)
            return item


        @bp.route('/items', methods=('GET',))
        @use_kwargs({'limit': fields.Int()})
        def listed(limit=20):
            return '', 200
        """,
        """\
        from fastapi import APIRouter
        try:
            from ._flask_compat.apispec import marshal_with, use_kwargs
        except ImportError:
            from _flask_compat.apispec import marshal_with, use_kwargs
        from marshmallow import fields

        bp = APIRouter(tags=['items'])


        # TODO(asyncshift): **kwargs view: FastAPI needs each path parameter named in the signature
        @bp.put('/items/{slug}', name="items.edit")
        @use_kwargs({'name': fields.Str()})
        @marshal_with(ItemSchema())
        def edit(slug: str, name=None, **kwargs):
            item = find(slug)
            return item


        @bp.get('/items', name="items.listed")
        @use_kwargs({'limit': fields.Int()})
        def listed(limit=20):
            return '', 200
        """,
    )


def test_the_extension_in_a_module_without_flask_points_at_the_port_with_a_docs_todo():
    check_transformed(
        CODEMOD,
        """\
        from flask_apispec import FlaskApiSpec

        docs = FlaskApiSpec()
        """,
        f"""\
        {DOCS}
        try:
            from ._flask_compat.apispec import FlaskApiSpec
        except ImportError:
            from _flask_compat.apispec import FlaskApiSpec

        docs = FlaskApiSpec()
        """,
    )


def test_a_name_the_port_lacks_is_kept_with_a_todo():
    check_transformed(
        CODEMOD,
        """\
        from flask_apispec import MethodResource, use_kwargs
        """,
        f"""\
        {KEPT}
        from flask_apispec import MethodResource, use_kwargs
        """,
    )


def test_a_use_kwargs_that_is_not_flask_apispecs_leaves_the_view_to_flasks_rules():
    check_noop(
        CODEMOD,
        """\
        from myproject.flask_apispec_like import thing
        """,
    )
