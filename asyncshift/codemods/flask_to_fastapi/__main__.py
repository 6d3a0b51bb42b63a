"""``python -m codemods.flask_to_fastapi DIR...``: write the ``_flask_compat/`` package beside the converted
modules that import it."""

import sys
from pathlib import Path

from codemods.flask_to_fastapi.support import write_helpers

for written in write_helpers([Path(p) for p in sys.argv[1:]]):
    print(written)
