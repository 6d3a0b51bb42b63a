"""A Flask name the project's tests patch on a module stays there once the module no longer reads it.

``mock.patch("pkg.views.current_app.config", {...})`` in the tests (not among the converted files: read from the
folder the package is imported from) looks ``current_app`` up on the module. The converted views read
``request.app`` and the import was dropped: AttributeError before the test ran. The module keeps the name, the
helper's proxy, and the patch reaches the app's ``config`` through it.
"""

from __future__ import annotations

import shutil
import sys
from unittest import mock

from side_by_side import load

from codemods import runner
from codemods.flask_to_fastapi.testclient import FlaskStyleClient

VIEWS = """\
from flask import Flask, current_app, g

app = Flask(__name__)
app.config["RELEASES"] = True


@app.route("/release")
def release():
    return {"released": current_app.config["RELEASES"]}
"""

TESTS = """\
from unittest import mock

from storefront.views import app


def test_release_disabled():
    with app.app_context(), mock.patch("storefront.views.current_app.config", {"RELEASES": False}):
        assert app.test_client().get("/release").get_json() == {"released": False}
"""


def test_names_the_tests_patch_stay_on_the_module(tmp_path):
    project = tmp_path / "project"
    (project / "storefront").mkdir(parents=True)
    (project / "storefront" / "__init__.py").write_text("")
    (project / "storefront" / "views.py").write_text(VIEWS)
    (project / "checks").mkdir()
    (project / "checks" / "test_views.py").write_text(TESTS)
    converted = tmp_path / "converted"
    shutil.copytree(project, converted)
    runner.run("flask-to-fastapi", [converted / "storefront"])
    text = (converted / "storefront" / "views.py").read_text()
    assert "request.app.config" in text
    assert "current_app" in text.split("\n\n")[0]  # still imported: the tests patch it
    assert ", g," not in text and " g\n" not in text  # no test patches g: dropped as before
    app = load(converted, "storefront.views")
    client = FlaskStyleClient(app)
    assert client.get("/release").get_json() == {"released": True}
    with app.app_context(), mock.patch("storefront.views.current_app.config", {"RELEASES": False}):
        assert client.get("/release").get_json() == {"released": False}
    assert client.get("/release").get_json() == {"released": True}
    assert sys.modules["storefront.views"].current_app is sys.modules["storefront._flask_compat"].current_app


PAGES = """\
from flask import Flask, flash, render_template, url_for

app = Flask(__name__)
app.secret_key = "key"


@app.route("/page")
def page():
    flash("seen")
    return render_template("page.html", key="value", here=url_for("page"))
"""

PAGE_TESTS = """\
from unittest import mock


@mock.patch("storefront.pages.flash")
@mock.patch("storefront.pages.render_template", return_value="rendered")
def test_page(render, flash):
    render.assert_called_once_with("page.html", key="value", here="/page")
    flash.assert_called_once_with("seen")
"""


def test_helpers_the_tests_patch_are_called_as_flask_called_them(tmp_path):
    """``render_template("page.html", key=v)`` handed the request first (``render_template(request, ...)``): the
    suite's ``assert_called_once_with("page.html", key=v)`` failed. Where the tests patch the helper on the
    module, the call stays Flask's and the module imports the helper's function taking it under Flask's name."""
    project = tmp_path / "project"
    (project / "storefront" / "templates").mkdir(parents=True)
    (project / "storefront" / "__init__.py").write_text("")
    (project / "storefront" / "pages.py").write_text(PAGES)
    (project / "storefront" / "templates" / "page.html").write_text("{{ key }} {{ get_flashed_messages()|join }}")
    (project / "checks").mkdir()
    (project / "checks" / "test_pages.py").write_text(PAGE_TESTS)
    converted = tmp_path / "converted"
    shutil.copytree(project, converted)
    runner.run("flask-to-fastapi", [converted / "storefront"])
    text = (converted / "storefront" / "pages.py").read_text()
    assert "flask_flash as flash" in text and "flask_render_template as render_template" in text
    assert (
        'flash("seen")' in text and 'render_template("page.html", key="value", here=url_for(request, "page"))' in text
    )
    app = load(converted, "storefront.pages")
    client = FlaskStyleClient(app)
    assert client.get("/page").get_data(as_text=True) == "value seen"
    pages = sys.modules["storefront.pages"]
    with mock.patch.object(pages, "flash") as flash, mock.patch.object(pages, "render_template") as render:
        render.return_value = "rendered"
        assert client.get("/page").get_data(as_text=True) == "rendered"
    render.assert_called_once_with("page.html", key="value", here="/page")
    flash.assert_called_once_with("seen")
