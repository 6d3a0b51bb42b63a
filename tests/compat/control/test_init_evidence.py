"""``asyncshift init``'s evidence rules found on the real app: which classes are repositories and
services, which config's database URL is in force, and twins (written later) left out."""

from __future__ import annotations

from compat.control.discovery import discover

from .wire_fixtures import OLD, TWINS, write

FLASK_CONFIGS = {
    "src/site/__init__.py": """\
import os

from flask import Flask


def create_app():
    app = Flask(__name__)
    env = os.environ.get("APP_ENV", "development").lower()
    if env == "production":
        app.config.from_object("site.config.ProductionConfig")
    elif env == "testing":
        app.config.from_object("site.config.TestingConfig")
    else:
        app.config.from_object("site.config.DevelopmentConfig")
    return app
""",
    "src/site/config.py": """\
import os


class Config:
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///site.db")


class DevelopmentConfig(Config):
    SQLALCHEMY_DATABASE_URI = os.environ.get("DEV_DATABASE_URL", "sqlite:///site_dev.db")


class TestingConfig(Config):
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite:///site_test.db")


class ProductionConfig(Config):
    SQLALCHEMY_DATABASE_URI = os.environ.get("PROD_DATABASE_URL", "sqlite:///site_prod.db")
""",
}


def test_only_classes_holding_a_session_or_named_as_services_are_targets(tmp_path):
    d = discover(write(tmp_path, OLD))
    layers = {f.target: (f.code, f.detail) for f in d.of("repository", "service")}
    # not BaseRepository (abstract), not ItemQuery (no session), not Sorting (an enum)
    assert layers == {
        "repositories.items": (("ItemRepository",), "takes a Session: ItemRepository"),
        "services.catalog": (("CatalogService",), "CatalogService: named ...Service, uses SQLAlchemy"),
    }


def test_a_repository_keeping_a_session_without_an_annotation_counts(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/repositories/__init__.py": "",
        "pkg/repositories/users.py": """\
class UserRepository:
    def __init__(self, session=None):
        self.session = session


class UserFactory:
    def make(self):
        return UserRepository()
""",
        "pkg/repositories/audit.py": """\
class AuditRepository:
    def __init__(self):
        self.db = object()
""",
        "pkg/repositories/helpers.py": """\
class Paging:
    def __init__(self, size):
        self.size = size
""",
    }
    d = discover(write(tmp_path, files))
    assert {f.target: f.detail for f in d.of("repository")} == {
        "repositories.users": "UserRepository: takes session",
        "repositories.audit": "AuditRepository: keeps self.db",
    }


def test_the_web_database_is_the_config_loaded_when_the_environment_names_none(tmp_path):
    d = discover(write(tmp_path, FLASK_CONFIGS))
    (db,) = d.databases
    assert (db.env[0], db.default) == ("DEV_DATABASE_URL", "sqlite:///site_dev.db")
    assert ("DATABASE_URL", "sqlite:///site.db") in db.alternatives


def test_files_a_twin_run_wrote_are_not_found_again(tmp_path):
    d = discover(write(tmp_path, {**OLD, **TWINS}))
    assert not [f for f in d.found if "_aio" in f.what]
    assert {f.what for f in d.of("typer", "click")} == {"shop_cli.main:app"}
