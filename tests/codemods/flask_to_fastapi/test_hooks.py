"""Request hooks and template hooks: ``@app.before_request``/``after_request``/``context_processor``/
``template_filter`` become the helper's decorators, and the hooks receive the request."""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed

from codemods.flask_to_fastapi import CODEMOD


def test_hooks_on_an_object_that_is_not_flasks_are_left_alone():
    check_noop(
        CODEMOD,
        """\
        from myproject.flask_events import app


        @app.before_request
        def load_user():
            pass


        @app.context_processor
        def inject():
            return {}
        """,
    )


def test_hooks_use_helper_decorators_and_receive_the_request():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, g, session, current_app, flash, request, render_template

        app = Flask(__name__)


        @app.before_request
        def load_user():
            g.user = session.get('uid')


        @app.after_request
        def headers(response):
            response.headers['X-Frame-Options'] = 'DENY'
            return response
        """,
        """\
        from fastapi import FastAPI, Request
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import after_request, before_request, init_app

        app = FastAPI()
        init_app(app, __name__)


        @before_request(app)
        def load_user(request: Request):
            request.state.user = request.session.get('uid')


        @after_request(app)
        def headers(response):
            response.headers['X-Frame-Options'] = 'DENY'
            return response
        """,  # noqa: E501
    )


def test_context_processor_and_template_filter():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, g, session, current_app, flash, request, render_template

        app = Flask(__name__)


        @app.context_processor
        def inject():
            return {'year': 2024}


        @app.template_filter('upper')
        def up(s):
            return s.upper()
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import context_processor, init_app, template_filter

        app = FastAPI()
        init_app(app, __name__)


        @context_processor(app)
        def inject():
            return {'year': 2024}


        @template_filter(app, 'upper')
        def up(s):
            return s.upper()
        """,  # noqa: E501
    )


def test_a_hook_named_like_its_helper_in_a_factory_imports_the_helper_under_another_name(tmp_path):
    import subprocess
    import sys

    from codemods import runner

    source = (
        "from flask import Flask, request\n\n\ndef create_app():\n    app = Flask(__name__)\n\n"
        "    @app.route('/')\n    def index():\n        return 'home'\n\n"
        "    @app.after_request\n    def after_request(response):\n"
        "        response.headers['X-Seen'] = request.method\n        return response\n\n    return app\n"
    )
    (tmp_path / "factory_app.py").write_text(source)
    runner.run("flask-to-fastapi", [tmp_path / "factory_app.py"])
    after = (tmp_path / "factory_app.py").read_text()
    assert "after_request as after_request_helper" in after and "@after_request_helper(app)" in after
    check = (
        "from fastapi.testclient import TestClient\nimport factory_app\n"
        "got = TestClient(factory_app.create_app()).get('/')\n"
        "assert got.text == 'home' and got.headers['X-Seen'] == 'GET', got.headers\nprint('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", check], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr
