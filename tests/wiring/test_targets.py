"""Every target admin-assistant's code asks the flags about is declared in ``feature_flags.yaml``
(``known_targets``), and every exact name declared there is one the code uses: the list that
``flags set`` and ``promote`` check names against is the application's own."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from admin_assistant.aio.web import create_app as create_fastapi_app
from admin_assistant.domain.schedules import ARCHIVE_JOB
from admin_assistant.sync import services as sync_services
from admin_assistant.wiring import web as web_wiring
from admin_assistant.wiring.app import build, repository_pairs
from compat.flags import FlagStore, load_flags
from compat.web import flat_routes

REPO_FLAGS = Path(__file__).resolve().parents[2] / "feature_flags.yaml"


def used_targets(application) -> set[str]:
    used = {f"repositories.{name}" for name in repository_pairs()}
    used |= {f"services.{f.name}" for f in dataclasses.fields(sync_services.Services)}
    fastapi_app = create_fastapi_app(application, secret="test")
    web_wiring._mount_migration(application, fastapi_app)
    used |= {t for t in map(web_wiring._target_of_route, flat_routes(fastapi_app)) if t}
    used |= {"cli.users", "cli.archive", "cli.config.archive.list", f"jobs.{ARCHIVE_JOB}", "jobs"}
    return used


def test_every_target_the_code_uses_is_declared_and_every_declared_name_is_used(clean_database, tmp_path):
    flags = load_flags(REPO_FLAGS)
    (tmp_path / "f.yaml").write_text("version: 1\n")
    application = build(clean_database, store=FlagStore(tmp_path / "f.yaml"))
    used = used_targets(application)
    assert any(t.startswith("web.routes.") for t in used)
    assert sorted(t for t in used if not flags.knows(t)) == []
    exact = [name for name in flags.known if not name.endswith(".*")]
    assert sorted(set(exact) - used) == []
