"""SQLAlchemy 1.3 ``Query`` internals the app reads (``q._entities``, ``q._group_by``...), gone in the 1.4+ the
conversion needs: read through a helper written into the module, which gives 1.3's values from what 1.4+ keeps (run
here on this venv's SQLAlchemy 2.x); those with no such value get a TODO; an attribute the module assigns is its own."""

from __future__ import annotations

import textwrap

import sqlalchemy
from sqlalchemy.orm import Session, aliased, declarative_base

from codemods.sqlalchemy_to_async import CODEMOD, query_internals

SOURCE = """\
from sqlalchemy import func


def get_count(q):
    if len(q._entities) > 1:
        raise Exception("only one entity")
    entity = q._entities[0]
    if q._group_by or q._distinct:
        pass
    return q.session.execute(q.statement.with_only_columns([func.count()])).scalar()
"""


def test_reads_of_query_internals_go_through_the_helper():
    after, _ = CODEMOD.apply(SOURCE)
    assert 'if len(_query_internal(q, "_entities")) > 1:' in after
    assert 'entity = _query_internal(q, "_entities")[0]' in after
    assert 'if _query_internal(q, "_group_by") or q._distinct:' in after  # 1.4 keeps _distinct
    assert after.count("def _query_internal(query, attribute):") == 1
    assert after.index("def _query_internal(") < after.index("def get_count(")
    assert "TODO" not in after


def test_an_internal_with_no_value_in_1_4_gets_a_todo():
    after, _ = CODEMOD.apply("import sqlalchemy\n\n\ndef joined(q):\n    return q._join_entities\n")
    assert "# TODO(asyncshift): Query._join_entities is gone in SQLAlchemy 1.4" in after
    assert "return q._join_entities" in after


def test_attributes_the_module_assigns_are_its_own():
    source = """\
import sqlalchemy


class Listing:
    _entities = ()

    def __init__(self):
        self._order_by = None

    def rows(self):
        return self._entities, self._order_by
"""
    after, _ = CODEMOD.apply(source)
    assert "_query_internal" not in after
    assert "return self._entities, self._order_by" in after


def _helper():
    namespace: dict = {}
    exec(textwrap.dedent(query_internals.CODE.format(name="_query_internal")), namespace)
    return namespace["_query_internal"]


Base = declarative_base()


class Cert(Base):
    __tablename__ = "cert"
    id = sqlalchemy.Column(sqlalchemy.Integer, primary_key=True)
    owner = sqlalchemy.Column(sqlalchemy.String)


def test_the_helper_gives_1_3_values_on_a_1_4_query():
    read = _helper()
    session = Session()
    model, column = session.query(Cert), session.query(Cert.owner).group_by(Cert.owner).filter(Cert.id > 1)
    (entity,) = read(model, "_entities")
    assert not hasattr(entity, "column") and entity.mapper is sqlalchemy.inspect(Cert) and entity.type is Cert
    (entity,) = read(column, "_entities")
    assert entity.column is Cert.owner.expression or entity.column.compare(Cert.owner.expression)
    assert entity.mapper is sqlalchemy.inspect(Cert)
    alias = aliased(Cert)
    (entity,) = read(session.query(alias), "_entities")
    assert entity.is_aliased_class and entity.mapper is sqlalchemy.inspect(Cert)
    assert len(read(session.query(Cert, Cert.owner), "_entities")) == 2
    assert read(model, "_group_by") is False and read(model, "_order_by") is False
    assert [c.key for c in read(column, "_group_by")] == ["owner"]
    assert read(column, "_criterion") is column.whereclause and read(model, "_criterion") is None
    assert read(model.limit(3).offset(2), "_limit") == 3 and read(model.limit(3).offset(2), "_offset") == 2
    assert read(model, "_mapper_zero")() is sqlalchemy.inspect(Cert)
    assert read(column, "_distinct") is False  # still there: read as it is


def test_the_helper_leaves_other_objects_alone():
    read = _helper()

    class Own:
        _entities = ["mine"]

    assert read(Own(), "_entities") == ["mine"]
    try:
        read(object(), "_entities")
    except AttributeError:
        pass
    else:
        raise AssertionError("an object that is no query has no _entities")


COUNT = """\
from sqlalchemy import distinct, func
from sqlalchemy.orm import lazyload


def get_count(q):
    disable_group_by = False
    if len(q._entities) > 1:
        raise Exception("only one entity is supported")
    entity = q._entities[0]
    if hasattr(entity, "column"):
        col = entity.column
        if q._group_by or q._distinct:
            col = distinct(col)
        if q._group_by:
            disable_group_by = True
        count_func = func.count(col)
    else:
        count_func = func.count()
    if q._group_by and not disable_group_by:
        count_func = count_func.over(None)
    count_q = q.options(lazyload("*")).statement.with_only_columns([count_func]).order_by(None)
    if disable_group_by:
        count_q = count_q.group_by(None)
    return q.session.execute(count_q).scalar()
"""


def test_with_only_columns_on_a_query_statement_keeps_its_from():
    after, _ = CODEMOD.apply(COUNT)
    assert ".statement.with_only_columns(count_func, maintain_column_froms=True)" in after
    after, _ = CODEMOD.apply("import sqlalchemy\n\n\ndef f(s, c):\n    return s.with_only_columns([c])\n")
    assert "s.with_only_columns([c])" in after  # a select of its own: its FROMs as it says


def test_a_count_helper_written_for_1_3_counts_the_same_once_converted():
    after, _ = CODEMOD.apply(COUNT)
    namespace: dict = {}
    exec(after, namespace)
    get_count = namespace["get_count"]
    engine = sqlalchemy.create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all([Cert(owner="a"), Cert(owner="a"), Cert(owner="b")])
        session.commit()
        assert get_count(session.query(Cert)) == 3  # 1 without maintain_column_froms (no FROM)
        assert get_count(session.query(Cert).filter(Cert.owner == "a")) == 2
        assert get_count(session.query(Cert.owner).group_by(Cert.owner)) == 2
        assert get_count(session.query(Cert.owner).distinct()) == 2
        assert get_count(session.query(Cert.id).group_by(Cert.owner).order_by(Cert.id)) == 3
