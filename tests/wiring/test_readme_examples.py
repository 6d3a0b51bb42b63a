"""The README's ``asyncshift compare`` lines do what the README says, run exactly as written."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from sqlalchemy import delete

from admin_assistant.wiring.app import build
from compat.flags import FlagStore
from compat.inputs import shadow_inputs

ROOT = Path(__file__).parents[2]


def readme_lines(prefix: str) -> list[tuple[list[str], str]]:
    """Each README command line starting with ``prefix``: its argv and its comment."""
    found = []
    for line in (ROOT / "README.md").read_text().splitlines():
        if line.startswith(prefix):
            command, _, comment = line.partition("   #")
            found.append((shlex.split(command), comment.strip()))
    return found


def run(argv: list[str], database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ASYNCSHIFT_DATABASE_URL": database_url}
    env.pop("ASYNCSHIFT_FLAGS", None)
    executable = str(Path(sys.executable).parent / argv[0])
    return subprocess.run([executable, *argv[1:]], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


async def test_the_readme_compare_lines_do_what_they_say(clean_database, tmp_path):
    with clean_database.sync_engine.begin() as connection:
        connection.execute(delete(shadow_inputs))  # nothing recorded: the replay line has no inputs
    (tmp_path / "f.yaml").write_text("version: 1\n")
    application = build(clean_database, store=FlagStore(tmp_path / "f.yaml"), learn=False)
    await application.aio.users.create("ada@example.com", "Ada")
    url = clean_database.url.render_as_string(hide_password=False)
    [(given, _), (recorded, comment)] = readme_lines("asyncshift compare services.users")
    done = run(given, url)
    assert done.returncode == 0, done.stderr
    assert 'services.users.find_by_email(["ada@example.com"]): same' in done.stdout
    assert "exit 1 if none" in comment
    nothing = run(recorded, url)
    assert nothing.returncode == 1 and "no inputs for services.users" in nothing.stderr
