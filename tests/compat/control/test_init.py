"""``asyncshift init``: what it finds in small foreign projects (read, never imported)."""

from __future__ import annotations

from compat.control.discovery import discover

from .init_fixtures import CLICK_PROJECT, FACTORY_PROJECT, SINGLE_MODULE_FLASK, TWO_DATABASES, write_project


def test_a_factory_project_gives_every_phase_with_its_targets(tmp_path):
    d = discover(write_project(tmp_path, FACTORY_PROJECT))
    assert d.source_root == tmp_path / "src"
    assert d.phases() == ["repositories", "services", "web", "cli", "jobs"]
    assert set(d.known_targets()) == {
        "repositories.orders",
        "repositories.ledger",
        "services.billing",
        "web",
        "web.routes.orders",
        "web.routes.pages",
        "cli.users.*",
        "cli.sync-all",
        "jobs.nightly-report",
        "jobs.poll",
    }
    assert [f.what for f in d.of("web-factory")] == ["shop.web:create_app"]
    assert [f.what for f in d.of("web-app")] == []  # the Flask() in tests/ is not the app
    assert {f.detail for f in d.of("blueprint")} == {"blueprint 'orders', 2 route(s)", "blueprint 'pages', 1 route(s)"}
    typer_app = d.of("typer")[0]
    assert typer_app.what == "shop.cli:app" and "console script(s): shop" in typer_app.detail
    assert d.old == "src/shop"
    (db,) = d.databases
    assert (db.name, db.env, db.default, db.via) == (
        "shop",
        ("SHOP_DATABASE_URL",),
        "postgresql://localhost/shop",
        "create_engine",
    )


def test_a_class_taking_a_session_outside_the_layer_folders_is_found_by_its_name(tmp_path):
    d = discover(write_project(tmp_path, FACTORY_PROJECT))
    (ledger,) = [f for f in d.of("repository") if f.target == "repositories.ledger"]
    assert ledger.detail == "takes a Session: LedgerStore"


def test_a_single_module_flask_app_with_flask_apscheduler(tmp_path):
    d = discover(write_project(tmp_path, SINGLE_MODULE_FLASK))
    assert d.source_root == tmp_path
    assert d.known_targets() == ["web", "jobs.cleanup"]
    (app,) = d.of("web-app")
    assert (app.what, app.detail) == ("app:app", "2 route(s) on the app itself")
    assert [f.what for f in d.of("scheduler")] == ["APScheduler"]
    (db,) = d.databases
    assert (db.env, db.default, db.via) == (("DATABASE_URL",), "sqlite:///app.db", "SQLALCHEMY_DATABASE_URI")


def test_a_click_program_named_by_setup_py(tmp_path):
    d = discover(write_project(tmp_path, CLICK_PROJECT))
    assert d.known_targets() == ["cli.hello-world", "cli.db.*", "cli.export"]
    (root,) = d.of("click")
    assert root.what == "tool.main:cli" and "console script(s): tool" in root.detail
    assert [f.what for f in d.of("script")] == ["tool"]


def test_two_databases_and_a_bind_keep_apart_by_name(tmp_path):
    d = discover(write_project(tmp_path, TWO_DATABASES))
    by_name = {db.name: db for db in d.databases}
    assert set(by_name) == {"two", "analytics", "reporting"}
    main = by_name["two"]
    assert (main.env, main.default) == (("DATABASE_URL", "TEST_DATABASE_URL"), "postgresql://localhost/main")
    assert main.alternatives == (("TEST_DATABASE_URL", "sqlite:///test.db"),)
    assert by_name["analytics"].via == "SQLALCHEMY_BINDS['analytics']"
    assert by_name["analytics"].env == ("ANALYTICS_DB_URL",)
    assert (by_name["reporting"].env, by_name["reporting"].default) == (("REPORTING_DATABASE_URL",), None)


def test_a_file_that_does_not_parse_is_reported_and_the_rest_still_read(tmp_path):
    files = {**SINGLE_MODULE_FLASK, "broken.py": "def f(:\n"}
    d = discover(write_project(tmp_path, files))
    assert d.skipped and d.skipped[0].startswith("broken.py:1:")
    assert d.known_targets() == ["web", "jobs.cleanup"]
