"""``app.run()`` to ``uvicorn.run(app, ...)``: in the app's module, and in a ``run.py`` that imports the app."""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed, write_tree

from codemods import runner
from codemods.flask_to_fastapi import CODEMOD


def test_run_methods_of_other_objects_are_left_alone():
    check_noop(
        CODEMOD,
        """\
        import subprocess
        import threading

        from myproject.flask_like import Flask

        app = Flask(__name__)
        worker = threading.Thread(target=print)
        worker.run()
        subprocess.run(["ls"])
        app.run()
        """,
    )


def test_run_without_arguments_keeps_flasks_port():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask

        app = Flask(__name__)

        if __name__ == "__main__":
            app.run()
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app

        app = FastAPI()
        init_app(app, __name__)

        if __name__ == "__main__":
            import uvicorn
            uvicorn.run(app, port=5000)
        """,  # noqa: E501
    )


def test_positional_host_and_port_and_debug_with_a_todo():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask

        application = Flask(__name__)

        if __name__ == "__main__":
            application.run("0.0.0.0", 8080, True, threaded=True)
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app

        application = FastAPI()
        init_app(application, __name__)

        if __name__ == "__main__":
            import uvicorn
            uvicorn.run(application, host="0.0.0.0", port=8080)  # TODO(asyncshift): app.run(debug=True): uvicorn has no Werkzeug debugger or reloader; to reload on changes run `uvicorn <module>:app --reload`
        """,  # noqa: E501
    )


def test_app_from_a_local_factory_with_tls_and_processes():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask


        def create_app():
            app = Flask(__name__)
            return app


        if __name__ == "__main__":
            server = create_app()
            server.run(ssl_context=("cert.pem", "key.pem"), processes=4)
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        try:
            from ._flask_compat import init_app
        except ImportError:
            from _flask_compat import init_app


        def create_app():
            app = FastAPI()
            init_app(app, __name__)
            return app


        if __name__ == "__main__":
            server = create_app()
            import uvicorn
            uvicorn.run(server, port=5000, ssl_certfile="cert.pem", ssl_keyfile="key.pem")  # TODO(asyncshift): app.run(processes=4): run `uvicorn <module>:app --workers 4` instead
        """,  # noqa: E501
    )


def test_run_py_importing_the_factory_is_converted_by_the_runner(tmp_path):
    write_tree(
        tmp_path,
        {
            "myapp/__init__.py": "from .factory import create_app\n",
            "myapp/factory.py": "from flask import Flask\n\n\ndef create_app():\n    return Flask(__name__)\n",
            "run.py": (
                "from myapp import create_app\n\napp = create_app()\n\n"
                "if __name__ == '__main__':\n    app.run(debug=False, port=8000)\n"
            ),
            "other.py": "import threading\n\nthreading.Thread().run()\n",
        },
    )
    result = runner.run("flask-to-fastapi", [tmp_path])
    assert result.count("failed") == 0
    assert (tmp_path / "run.py").read_text() == (
        "from myapp import create_app\n\napp = create_app()\n\n"
        "if __name__ == '__main__':\n    import uvicorn\n    uvicorn.run(app, port=8000)\n"
    )
    assert (tmp_path / "other.py").read_text() == "import threading\n\nthreading.Thread().run()\n"
