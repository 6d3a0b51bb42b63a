"""Flask's helpers called Flask's way, without the request first: the current one (the helper's request proxy).

A module whose tests patch such a helper on it and assert the arguments of Flask's call
(``mock.patch("pkg.views.render_template")``, then ``assert_called_once_with("page.html", key=v)``) keeps
Flask's call, and imports these under Flask's names. End state: tests assert what the view answers.
"""

from __future__ import annotations

from typing import Any

from .context import request
from .flashing import flash, get_flashed_messages
from .templates import render_template, render_template_string
from .urls import url_for


def flask_render_template(template_name_or_list: Any, **context: Any) -> str:
    return render_template(request._get_current_object(), template_name_or_list, **context)


def flask_render_template_string(source: str, **context: Any) -> str:
    return render_template_string(request._get_current_object(), source, **context)


def flask_flash(message: str, category: str = "message") -> None:
    flash(request._get_current_object(), message, category)


def flask_get_flashed_messages(with_categories: bool = False, category_filter: Any = ()) -> list:
    return get_flashed_messages(request._get_current_object(), with_categories, category_filter)


def flask_url_for(endpoint: str, **values: Any) -> str:
    return url_for(request, endpoint, **values)  # the proxy: an app context without a request builds from config
