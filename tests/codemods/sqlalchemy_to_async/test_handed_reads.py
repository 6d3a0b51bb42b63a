"""A relationship read off a model handed to a function as a parameter loads with ``lazy="selectin"``.

Seen on a service layer whose repository loads catalog objects and hands each to a helper reading
``obj.columns``: the lazy load raised ``MissingGreenlet`` under the AsyncSession, away from any query a
``selectinload`` could go on.
"""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD


def test_relationships_read_off_a_handed_model_load_with_selectin_and_an_explicit_lazy_is_kept():
    """``table.columns`` in a helper taking ``table: Table`` (in a generator expression), ``column.table`` off a
    parameter typed by what the run hands it (``session.get(Column, 1)``): both relationships load with their
    object; ``lazy="raise"`` is the model's own choice, kept."""
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy import ForeignKey, select
        from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship


        class Base(DeclarativeBase):
            pass


        class Table(Base):
            __tablename__ = "tables"
            id: Mapped[int] = mapped_column(primary_key=True)
            columns: Mapped[list["Column"]] = relationship(
                "Column",
                back_populates="table",
                order_by="Column.position",
            )
            notes: Mapped[list["Column"]] = relationship("Column", lazy="raise", viewonly=True)


        class Column(Base):
            __tablename__ = "columns"
            id: Mapped[int] = mapped_column(primary_key=True)
            table_id: Mapped[int] = mapped_column(ForeignKey("tables.id"))
            position: Mapped[int]
            name: Mapped[str]
            table: Mapped[Table] = relationship(back_populates="columns")


        def column_names(table: Table) -> str:
            return " ".join(column.name for column in table.columns) + str(len(table.notes))


        def table_id(column) -> int:
            return column.table.id


        def index(session: Session) -> list[str]:
            return [column_names(table) for table in session.scalars(select(Table)).all()]


        def first_table(session: Session) -> int:
            return table_id(session.get(Column, 1))
""",
        """\
        from sqlalchemy import ForeignKey, select
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
        from sqlalchemy.ext.asyncio import AsyncSession


        class Base(DeclarativeBase):
            pass


        class Table(Base):
            __tablename__ = "tables"
            id: Mapped[int] = mapped_column(primary_key=True)
            columns: Mapped[list["Column"]] = relationship(
                "Column",
                back_populates="table",
                order_by="Column.position",
                lazy="selectin",
            )
            notes: Mapped[list["Column"]] = relationship("Column", lazy="raise", viewonly=True)


        class Column(Base):
            __tablename__ = "columns"
            id: Mapped[int] = mapped_column(primary_key=True)
            table_id: Mapped[int] = mapped_column(ForeignKey("tables.id"))
            position: Mapped[int]
            name: Mapped[str]
            table: Mapped[Table] = relationship(back_populates="columns", lazy="selectin")


        def column_names(table: Table) -> str:
            return " ".join(column.name for column in table.columns) + str(len(table.notes))


        def table_id(column) -> int:
            return column.table.id


        async def index(session: AsyncSession) -> list[str]:
            return [column_names(table) for table in (await session.scalars(select(Table))).all()]


        async def first_table(session: AsyncSession) -> int:
            return table_id(await session.get(Column, 1))
""",
    )


def test_a_relationship_read_only_off_self_in_the_model_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        from sqlalchemy import ForeignKey
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


        class Base(DeclarativeBase):
            pass


        class Table(Base):
            __tablename__ = "tables"
            id: Mapped[int] = mapped_column(primary_key=True)
            columns: Mapped[list["Column"]] = relationship("Column")

            def names(self) -> list[str]:
                return [column.name for column in self.columns]


        class Column(Base):
            __tablename__ = "columns"
            id: Mapped[int] = mapped_column(primary_key=True)
            table_id: Mapped[int] = mapped_column(ForeignKey("tables.id"))
            name: Mapped[str]
""",
    )
