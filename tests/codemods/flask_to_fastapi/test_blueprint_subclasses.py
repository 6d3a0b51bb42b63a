"""A project's ``Blueprint`` subclass (``class ScopedBlueprint(Blueprint)``, one overriding ``register``, one with
its own ``__init__``, here or in another module): its base became ``APIRouter`` but ``ScopedBlueprint("scoped",
__name__, url_prefix=...)`` was kept, and ``APIRouter`` takes no positional name (TypeError at import); the
``register`` override was never called. The subclass gains ``__init__(self, name, import_name, url_prefix=None,
**options)`` building its ``APIRouter`` as ``Blueprint(...)`` is converted (its own ``__init__``'s
``super().__init__(name, ...)`` is converted so); one overriding ``register`` derives from the helper's
``RegisteredRouter``, whose app calls that ``register`` when it includes the router (with the include's prefix)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

BASES = """\
from flask import Blueprint


class HookedBlueprint(Blueprint):
    def register(self, app, options):
        app.config["HOOKED"] = options.get("url_prefix")
        super().register(app, options)


class NamedBlueprint(Blueprint):
    def __init__(self, name, import_name, **kwargs):
        super().__init__(name, import_name, url_prefix="/named", **kwargs)
        self.label = name
"""

BLUEPRINTS = """\
from flask import Blueprint, current_app, jsonify

from subbp.bases import HookedBlueprint, NamedBlueprint


class ScopedBlueprint(Blueprint):
    scope = "read"


scoped = ScopedBlueprint("scoped", __name__, url_prefix="/scoped")
hooked = HookedBlueprint("hooked", __name__)
named = NamedBlueprint("named", __name__)


@scoped.route("/items")
def items():
    return jsonify(scope=scoped.scope)


@hooked.route("/ping")
def ping():
    return jsonify(hooked=current_app.config["HOOKED"])


@named.route("/label")
def label():
    return jsonify(label=named.label)
"""

APP = """\
from flask import Flask

from subbp.blueprints import hooked, named, scoped


app = Flask(__name__)
app.register_blueprint(scoped)
app.register_blueprint(hooked, url_prefix="/hooked")
app.register_blueprint(named)
"""


def test_blueprint_subclasses_build_and_serve(tmp_path):
    (tmp_path / "src" / "subbp").mkdir(parents=True)
    (tmp_path / "src" / "subbp" / "__init__.py").write_text("")
    (tmp_path / "src" / "subbp" / "bases.py").write_text(BASES)
    (tmp_path / "src" / "subbp" / "blueprints.py").write_text(BLUEPRINTS)
    (tmp_path / "src" / "subbp" / "main.py").write_text(APP)
    flask_app = load(tmp_path / "src", "subbp.main")
    convert_tree(tmp_path / "src", tmp_path / "out")
    bases = (tmp_path / "out" / "subbp" / "bases.py").read_text()
    assert "class HookedBlueprint(RegisteredRouter):" in bases and "does not call" not in bases
    assert 'super().__init__(prefix="/named", tags=[name])' in bases
    fastapi_app = load(tmp_path / "out", "subbp.main")
    assert_same(flask_app, fastapi_app, [("GET", "/scoped/items"), ("GET", "/hooked/ping"), ("GET", "/named/label")])
