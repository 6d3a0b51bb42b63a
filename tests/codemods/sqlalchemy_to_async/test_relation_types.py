"""A relationship is typed as the model it names (``relation_types``): a method of that model made async, called
through it (``forum.category.delete()``, ``self.topic.hide()``, ``for f in category.forums: f.delete()``), is awaited
and its caller made async. Where neither side says whether it holds one row or many, it stays unknown."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

MODELS = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Category(db.Model):
    __tablename__ = "categories"
    id = db.Column(db.Integer, primary_key=True)

    def delete(self):
        db.session.delete(self)
        db.session.commit()


class Forum(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    category_id = db.Column(db.Integer, db.ForeignKey("categories.id"))
    category = db.relationship("Category", backref="forums")
    topics = db.relationship("Topic", backref="forum", lazy="dynamic")

    def delete(self):
        db.session.delete(self)
        db.session.commit()


class Topic(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    forum_id = db.Column(db.Integer, db.ForeignKey("forum.id"))
    first_post_id = db.Column(db.Integer, db.ForeignKey("post.id"))
    first_post = db.relationship("Post", uselist=False, foreign_keys=[first_post_id])
    posts = db.relationship("Post", backref="topic", lazy="dynamic", primaryjoin="Post.topic_id == Topic.id")

    def hide(self):
        self.forum.delete()
"""


def _converted(code: str) -> str:
    return (
        code.replace("from flask_sqlalchemy import SQLAlchemy", "from _flask_sqlalchemy_async import SQLAlchemy")
        .replace("    def delete(self):", "    async def delete(self):")
        .replace("    def hide(self):", "    async def hide(self):")
        .replace("        db.session.delete(self)\n", "        await db.session.delete(self)\n")
        .replace("        db.session.commit()\n", "        await db.session.commit()\n")
    )


def test_a_relationship_holding_one_row_is_its_model_and_a_loop_over_many_gives_rows():
    uses = textwrap.dedent(
        """

        class Post(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            topic_id = db.Column(db.Integer, db.ForeignKey("topic.id"))

            def delete(self):
                if self.topic.first_post is self:
                    self.topic.hide()
                db.session.delete(self)
                db.session.commit()


        def remove_category(forum: Forum):
            forum.category.delete()


        def remove_forums(key):
            category = db.session.get(Category, key)
            for forum in category.forums:
                forum.delete()


        def remove_first_posts(forum: Forum):
            for topic in forum.topics.filter_by(id=1).all():
                topic.first_post.delete()
        """
    )
    check_transformed(
        CODEMOD,
        MODELS + uses,
        _converted(MODELS).replace("self.forum.delete()", "await self.forum.delete()")
        + textwrap.dedent(
            '''

            class Post(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                topic_id = db.Column(db.Integer, db.ForeignKey("topic.id"))

                async def delete(self):
                    if self.topic.first_post is self:
                        await self.topic.hide()
                    await db.session.delete(self)
                    await db.session.commit()


            async def remove_category(forum: Forum):
                await forum.category.delete()


            async def remove_forums(key):
                category = await db.session.get(Category, key)
                for forum in category.forums:
                    await forum.delete()


            def _dynamic_select(instance, key):
                """A lazy="dynamic" relationship's query as a select() (written by asyncshift): the related class, the rows
                of this instance, in the relationship's order_by."""
                import sqlalchemy
                from sqlalchemy.orm import with_parent

                state = sqlalchemy.inspect(instance)  # through a proxy too (Flask-Login's current_user)
                prop = state.mapper.relationships[key]
                statement = sqlalchemy.select(prop.mapper).where(with_parent(state.obj(), getattr(state.mapper.class_, key)))
                return statement.order_by(*prop.order_by) if prop.order_by else statement


            async def remove_first_posts(forum: Forum):
                for topic in (await db.session.execute(_dynamic_select(forum, "topics").filter_by(id=1))).scalars().all():
                    await topic.first_post.delete()
            '''  # noqa: E501
        ),
    )


MAPPED = """\
from typing import List

from sqlalchemy import Column, ForeignKey, Integer, Table
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship


class Base(DeclarativeBase):
    pass


members = Table("members", Base.metadata, Column("user_id", ForeignKey("users.id")), Column("group_id", Integer))


class Group(Base):
    __tablename__ = "groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    users: Mapped[List["User"]] = relationship(secondary=members, back_populates="groups")

    def remove(self, session: Session):
        session.delete(self)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    groups: Mapped[List["Group"]] = relationship(secondary=members, back_populates="users")
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    team = relationship("Team", back_populates="users")

    def remove(self, session: Session):
        session.delete(self)


class Team(Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    users: Mapped[List["User"]] = relationship(back_populates="team")

    def remove(self, session: Session):
        session.delete(self)


def leave(session: Session, user: User, group: Group):
    user.groups.remove(group)
    user.team.remove(session)
    for g in user.groups:
        g.remove(session)
    for u in user.team.users:
        u.remove(session)
"""


def test_mapped_annotations_and_back_populates_say_one_row_or_many():
    check_transformed(
        CODEMOD,
        MAPPED,
        MAPPED.replace("import DeclarativeBase, Mapped, Session,", "import DeclarativeBase, Mapped,")
        .replace("relationship\n", "relationship\nfrom sqlalchemy.ext.asyncio import AsyncSession\n", 1)
        .replace('back_populates="users")', 'back_populates="users", lazy="selectin")')
        .replace("def remove(self, session: Session):", "async def remove(self, session: AsyncSession):")
        .replace("        session.delete(self)", "        await session.delete(self)")
        .replace("def leave(session: Session,", "async def leave(session: AsyncSession,")
        .replace("    user.team.remove(session)", "    await user.team.remove(session)")
        .replace("        g.remove(session)", "        await g.remove(session)")
        .replace("        u.remove(session)", "        await u.remove(session)"),
    )


def test_relationships_and_loops_over_them_in_code_that_does_no_io_are_left_alone():
    check_noop(
        CODEMOD,
        """\
        from sqlalchemy import Column, ForeignKey, Integer
        from sqlalchemy.orm import declarative_base, relationship

        Base = declarative_base()


        class Tag(Base):
            __tablename__ = "tags"
            id = Column(Integer, primary_key=True)
            note_id = Column(Integer, ForeignKey("notes.id"))
            note = relationship("Note", backref="tags")

            def label(self):
                return str(self.id)


        class Note(Base):
            __tablename__ = "notes"
            id = Column(Integer, primary_key=True)


        def labels(note):
            for tag in note.tags:
                yield tag.label(), tag.note.id
        """,
    )
