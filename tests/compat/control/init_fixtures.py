"""Small foreign projects for ``asyncshift init``: written into a folder, never imported."""

from __future__ import annotations

from pathlib import Path

FACTORY_PROJECT = {
    "pyproject.toml": """\
# a comment init must keep
[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"

[project]
name = "shop"
version = "0.1"
dependencies = ["flask", "typer"]   # pinned elsewhere

[project.scripts]
shop = "shop.cli:app"

[tool.setuptools.packages.find]
where = ["src"]

[tool.black]
line-length = 99
""",
    "src/shop/__init__.py": """\
raise SystemExit("init imported the application")
""",
    "src/shop/web/__init__.py": """\
from flask import Flask

from .orders import bp as orders_bp
from .pages import pages


def create_app(config=None):
    app = Flask(__name__)
    app.register_blueprint(orders_bp)
    app.register_blueprint(pages)
    return app
""",
    "src/shop/web/orders.py": """\
import flask

bp = flask.Blueprint("orders", __name__, url_prefix="/orders")


@bp.route("/")
def index():
    return "orders"


@bp.post("/<int:order_id>")
def update(order_id):
    return "ok"
""",
    "src/shop/web/pages.py": """\
from flask import Blueprint as BP

pages = BP(name="pages", import_name=__name__)


@pages.route("/about")
def about():
    return "about"
""",
    "src/shop/cli.py": """\
import typer

from shop.commands.users import users_app

app = typer.Typer()
app.add_typer(users_app, name="users")


@app.command()
def sync_all():
    pass
""",
    "src/shop/commands/__init__.py": "",
    "src/shop/commands/users.py": """\
import typer

users_app = typer.Typer()


@users_app.command("list")
def list_users():
    pass
""",
    "src/shop/jobs.py": """\
from apscheduler.schedulers.background import BackgroundScheduler

scheduler = BackgroundScheduler()


def nightly():
    pass


scheduler.add_job(nightly, "cron", hour=1, id="nightly-report")


@scheduler.scheduled_job("interval", minutes=5)
def poll():
    pass
""",
    "src/shop/repositories/__init__.py": "",
    "src/shop/repositories/orders.py": """\
from sqlalchemy.orm import Session


class OrderRepository:
    def __init__(self, session: Session):
        self.session = session
""",
    "src/shop/services/__init__.py": "",
    "src/shop/services/billing.py": """\
class BillingService:
    def __init__(self, orders):
        self.orders = orders
""",
    "src/shop/ledger.py": """\
from sqlalchemy import orm


class LedgerStore:
    def __init__(self, session: "orm.Session | None" = None, *, limit: int = 5):
        self.session = session
""",
    "src/shop/db.py": """\
import os

from sqlalchemy import create_engine

URL = os.environ.get("SHOP_DATABASE_URL", "postgresql://localhost/shop")
engine = create_engine(URL)
""",
    "tests/test_app.py": """\
from flask import Flask

app = Flask(__name__)
""",
}

SINGLE_MODULE_FLASK = {
    "app.py": """\
import os

from flask import Flask
from flask_apscheduler import APScheduler

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite:///app.db")
scheduler = APScheduler()


@app.route("/")
def home():
    return "hi"


@app.get("/health")
def health():
    return "ok"


@scheduler.task("interval", id="cleanup", seconds=60)
def cleanup():
    pass
""",
}

CLICK_PROJECT = {
    "setup.py": """\
from setuptools import setup

setup(name="tool", entry_points={"console_scripts": ["tool = tool.main:cli"]})
""",
    "tool/__init__.py": "",
    "tool/main.py": """\
import click

from tool.extra import export_cmd


@click.group()
def cli():
    pass


@cli.command()
def hello_world():
    pass


@cli.group()
def db_group():
    pass


@db_group.command()
def migrate():
    pass


cli.add_command(export_cmd)
""",
    "tool/extra.py": """\
import click


@click.command("export")
def export_cmd():
    pass
""",
}

TWO_DATABASES = {
    "pyproject.toml": '[project]\nname = "two"\nversion = "1"\n',
    "two/__init__.py": "",
    "two/config.py": """\
import os


class Config:
    SQLALCHEMY_DATABASE_URI = os.getenv("DATABASE_URL", "postgresql://localhost/main")
    SQLALCHEMY_BINDS = {
        "analytics": os.getenv("ANALYTICS_DB_URL", "postgresql://localhost/analytics"),
    }


class TestConfig(Config):
    SQLALCHEMY_DATABASE_URI = os.getenv("TEST_DATABASE_URL", "sqlite:///test.db")
""",
    "two/reporting.py": """\
import os

from sqlalchemy import create_engine

REPORTING_DATABASE_URL = os.environ["REPORTING_DATABASE_URL"]
engine = create_engine(REPORTING_DATABASE_URL)
""",
    "two/web.py": """\
from flask import Flask


def make_app():
    return Flask("two")
""",
}


def write_project(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return root
