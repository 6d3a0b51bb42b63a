"""A decorator factory's middle layer (``def decorator(func): ... return wrapper``) is no view wrapper.

Its inner wrapper's own answers go through ``make_response``, as a Flask view's did; the middle layer returns
the wrapper function, which must stay a function (``make_response(wrapper)`` raised TypeError at import,
once the factory decorated a view). It was taken for a wrapper because a call in its inner function passed
``**data`` to one of the factory's parameters (a pydantic spec) and libcst's absent ``*args`` is no None.
"""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.flask_to_fastapi import CODEMOD, view_decorators

HELPER = "# TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state"  # noqa: E501


def test_the_middle_layer_returns_its_wrapper_as_it_was():
    check_transformed(
        CODEMOD,
        """\
        from functools import wraps

        from flask import request


        def validate_args(spec, location):
            def decorator(func):
                @wraps(func)
                def wrapper(*args, **kwargs):
                    data = request.args
                    try:
                        loaded = spec(**data)
                    except ValueError:
                        return {"success": False}, 400
                    return func(*args, loaded, **kwargs)

                return wrapper

            return decorator
        """,
        f"""\
        from functools import wraps
        {HELPER}
        try:
            from ._flask_compat import request, view_value
        except ImportError:
            from _flask_compat import request, view_value


        def validate_args(spec, location):
            def decorator(func):
                @wraps(func)
                def wrapper(*args, **kwargs):
                    data = request.query_params
                    try:
                        loaded = spec(**data)
                    except ValueError:
                        return view_value(({{"success": False}}, 400))  # TODO(asyncshift): {view_decorators.TODO}
                    return func(*args, loaded, **kwargs)

                return wrapper

            return decorator
        """,
    )
