"""``current_app._get_current_object()`` handed to a thread (Flask-Mail's send in the background, flasky's
``send_async_email``) is the app itself: the thread pushes its app context with it.

It became the helper's ``current_app`` proxy, which resolves to nothing in the new thread: "Working outside of
application context" there, and the mail was never sent.
"""

from __future__ import annotations

import textwrap

from side_by_side import assert_same, convert_tree, load

SOURCE = textwrap.dedent("""\
    from threading import Thread

    from flask import Flask, current_app

    app = Flask(__name__)
    app.config["SENDER"] = "admin@example.com"
    sent = []


    def send_async(app, to):
        with app.app_context():
            sent.append((current_app.config["SENDER"], to))


    def send(to):
        thread = Thread(target=send_async, args=[current_app._get_current_object(), to])
        thread.start()
        thread.join()


    @app.route("/register")
    def register():
        send("john@example.com")
        return "%d sent from %s" % (len(sent), sent[-1][0])
""")


def test_a_thread_gets_the_app_itself(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "mailapp.py").write_text(SOURCE)
    flask_app = load(tmp_path / "src", "mailapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "mailapp")
    assert_same(flask_app, fastapi_app, [("GET", "/register"), ("GET", "/register")])
