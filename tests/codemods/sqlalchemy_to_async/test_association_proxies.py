"""``isinstance(col, AssociationProxy)`` on a class attribute: SQLAlchemy before 1.3 gave the ``AssociationProxy``,
1.3 on an ``AssociationProxyInstance``, so under the 1.4 the conversion moves a project to, a test suite's model
factory (``isinstance(col, AssociationProxy) or col.impl.uses_objects``) failed with AttributeError 'impl' in every
test's setup. The check takes both classes; any other isinstance check is left alone."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

FACTORY = """\
from sqlalchemy.ext import associationproxy
from sqlalchemy.ext.associationproxy import AssociationProxy


def related(model_class, names):
    found = []
    for name in names:
        col = getattr(model_class, name)
        if isinstance(col, AssociationProxy) or col.impl.uses_objects:
            found.append(name)
        elif isinstance(col, associationproxy.AssociationProxy):
            found.append("never")
    return found
"""
CONVERTED = """\
from sqlalchemy.ext import associationproxy
from sqlalchemy.ext.associationproxy import AssociationProxy, AssociationProxyInstance


def related(model_class, names):
    found = []
    for name in names:
        col = getattr(model_class, name)
        if isinstance(col, (AssociationProxy, AssociationProxyInstance)) or col.impl.uses_objects:
            found.append(name)
        elif isinstance(col, (associationproxy.AssociationProxy, AssociationProxyInstance)):
            found.append("never")
    return found
"""
MODELS = """\
import sqlalchemy as sa
from sqlalchemy.ext.associationproxy import association_proxy
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Role(Base):
    __tablename__ = "role"
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String)
    user_id = sa.Column(sa.ForeignKey("user.id"))


class User(Base):
    __tablename__ = "user"
    id = sa.Column(sa.Integer, primary_key=True)
    email = sa.Column(sa.String)
    roles = relationship(Role)
    role_names = association_proxy("roles", "name")


sa.orm.configure_mappers()
"""


def test_an_association_proxy_check_takes_the_class_attributes_kind_too():
    after = check_transformed(CODEMOD, FACTORY, CONVERTED)
    space: dict = {}
    exec(compile(textwrap.dedent(MODELS) + after, "<converted>", "exec"), space)
    assert space["related"](space["User"], ["email", "roles", "role_names"]) == ["roles", "role_names"]


def test_other_isinstance_checks_are_left_alone():
    check_noop(
        CODEMOD,
        """\
        from sqlalchemy.ext.associationproxy import AssociationProxy


        def kinds(col):
            return isinstance(col, (AssociationProxy, str)), isinstance(col, dict), isinstance(AssociationProxy, type)
        """,
    )
