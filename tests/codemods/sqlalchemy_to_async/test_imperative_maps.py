"""Relationships of an imperative (classical) mapping load with ``lazy="selectin"``.

Seen on a repository / unit-of-work application mapping its domain classes with ``mapper(...,
properties={"batches": relationship(...)})``: the domain model read ``product.batches`` after the unit of work
loaded the product, a lazy load under the AsyncSession (``MissingGreenlet``).
"""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD


def test_relationships_of_a_classical_mapping_load_with_selectin():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import mapper, relationship, sessionmaker

        SessionLocal = sessionmaker()


        def start_mappers():
            lines = mapper(OrderLine, order_lines)
            mapper(
                Batch,
                batches,
                properties={
                    "_allocations": relationship(lines, secondary=allocations, collection_class=set),
                    "product": relationship(Product, lazy="joined"),
                },
            )
            mapper(Product, products, properties={"batches": relationship(Batch)})
        """,
        """\
        from sqlalchemy.orm import mapper, relationship
        from sqlalchemy.ext.asyncio import async_sessionmaker

        SessionLocal = async_sessionmaker(expire_on_commit=False)


        def start_mappers():
            lines = mapper(OrderLine, order_lines)
            mapper(
                Batch,
                batches,
                properties={
                    "_allocations": relationship(lines, secondary=allocations, collection_class=set, lazy="selectin"),
                    "product": relationship(Product, lazy="joined"),
                },
            )
            mapper(Product, products, properties={"batches": relationship(Batch, lazy="selectin")})
        """,
    )
