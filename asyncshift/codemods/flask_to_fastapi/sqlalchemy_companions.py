"""Libraries pinned beside SQLAlchemy that its 1.4 breaks, moved with it.

The converted code needs SQLAlchemy 1.4 (``AsyncSession``, the helper's ``select``), so a project pinning 1.3 has
its pin moved; a library built on SQLAlchemy and pinned to a release before it supported 1.4 then stops the app
at import (SQLAlchemy-Utils before 0.37 imports ``_literal_as_text``, which 1.4 removed; Flask-SQLAlchemy before
2.5 sets attributes of the URL, immutable since 1.4; Flask-Admin before 1.5.7 imports
``sqlalchemy.ext.declarative.clsregistry``, moved in 1.4). Each such library the project pins is declared at its first
release supporting 1.4, through the same rule as the rest (``requirements._against_pins``: nothing when the
project's pin already meets it, the least move otherwise); a library the project does not pin is not declared.
"""

from __future__ import annotations

import re
from collections.abc import Callable

FIRST_WITH_1_4 = {"sqlalchemy-utils": "0.37", "flask-sqlalchemy": "2.5", "flask-admin": "1.5.7"}
_BRINGS_1_4 = re.compile(r"^sqlalchemy(\[[^\]]*\])?(>=|~=)1\.4", re.IGNORECASE)


def alongside(wanted: set[str] | list[str], pinned: Callable[[str], object]) -> set[str]:
    """``name>=floor`` for each library the project pins (``pinned(name)``), when ``wanted`` brings SQLAlchemy 1.4."""
    if not any(_BRINGS_1_4.match(r) for r in wanted):
        return set()
    return {f"{name}>={floor}" for name, floor in FIRST_WITH_1_4.items() if pinned(name)}
