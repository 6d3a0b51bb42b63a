"""A dispatch site's callee is followed within a bound.

A value under a cycle of names (``a = b`` and ``b = a``) is worked out again each time it is asked, what depends on
the cut being kept nowhere; names all given each other's values multiply that by every order they can be visited
in (a real app's reassigned result dicts and lists ran the codemod for 20+ CPU minutes). Past the bound the value
is not followed, as any value the codemod cannot follow: the call is left as written.
"""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

NAMES = [f"n{i}" for i in range(12)]
GIVEN = "\n".join(f"    {name} = x" for name in NAMES)
CYCLES = "\n".join(f"    {a} = {b}" for a in NAMES for b in NAMES if a != b)


def test_a_method_called_on_a_name_all_others_are_assigned_to_is_resolved_within_the_bound():
    """Twelve names each assigned from the eleven others: 11! orders without the bound (hours), a few seconds with."""
    check_transformed(
        CODEMOD,
        "from sqlalchemy.orm import Session\n\n\n"
        f"def load(session: Session, x):\n{GIVEN}\n{CYCLES}\n    n0.send(session.query(int).all())\n",
        "from sqlalchemy import select\nfrom sqlalchemy.ext.asyncio import AsyncSession\n\n\n"
        f"async def load(session: AsyncSession, x):\n{GIVEN}\n{CYCLES}\n"
        "    n0.send((await session.execute(select(int))).all())\n",
    )
