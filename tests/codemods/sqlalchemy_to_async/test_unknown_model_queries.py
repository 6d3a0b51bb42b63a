"""``model.query...all()`` where ``model`` is of unknown class, in a run converting a Flask-SQLAlchemy ``db``: a TODO
at its line (it runs on the sync session, blocking); a model of known class is converted, a run without
Flask-SQLAlchemy left alone."""

from __future__ import annotations

from codemod_helpers import FLASK_DB_USERS, check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

MODELS, CONVERTED_MODELS = FLASK_DB_USERS


def _todo(name: str, method: str) -> str:
    return (
        f"# TODO(asyncshift): the class of '{name}' is not known here: if it is a model of Flask-SQLAlchemy's db "
        f"(__main__.db), {name}.query...{method}() runs on the sync session, blocking: build select({name}) there "
        "and await it on db.session, in an async function"
    )


def test_a_query_on_a_parameter_of_unknown_class_gets_a_todo_at_its_line():
    tail = """

def rows_of(model, name):
    rows = model.query.filter_by(name=name).order_by(model.id).all()
    return rows, model.query.get(1)
"""
    expected = f"""

def rows_of(model, name):
    {_todo("model", "all")}
    rows = model.query.filter_by(name=name).order_by(model.id).all()
    {_todo("model", "get")}
    return rows, model.query.get(1)
"""
    check_transformed(CODEMOD, MODELS + tail, CONVERTED_MODELS + expected)


def test_a_receiver_of_known_class_is_left_to_the_query_rules():
    tail = """

class Store:
    def __init__(self):
        self.query = []

    def count(self):
        return 0


def count(store: Store):
    return store.query.count()
"""
    check_transformed(CODEMOD, MODELS + tail, CONVERTED_MODELS + tail)


def test_a_run_without_flask_sqlalchemy_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        def rows_of(model):
            return model.query.all()
        """,
    )
