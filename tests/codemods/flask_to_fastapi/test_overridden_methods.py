"""A method of a class hierarchy of the app, called through whatever a registry holds (``plugin.pre_receive(alert)``
on a plugin loaded by name), keeps its signature and reads the request through the helper: such a call names no
class the conversion can follow, so it never passes the request, and a ``request`` parameter given to the override
took the caller's first argument (TypeError "missing 1 required positional argument", a 500 with no TODO)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

BASE = """\
import abc

from flask import request


class PluginBase(metaclass=abc.ABCMeta):
    def __init__(self, name=None):
        self.name = name or type(self).__name__

    @abc.abstractmethod
    def pre_receive(self, alert, **kwargs):
        raise NotImplementedError

    def describe(self):
        return f"{self.name} on {request.path}"
"""

PLUGINS = """\
from flask import request

from . import PluginBase


class RemoteIp(PluginBase):
    def pre_receive(self, alert, **kwargs):
        alert["ip"] = request.remote_addr
        alert["agent"] = request.headers.get("User-Agent", "")
        return alert


class Tagger(PluginBase):
    def pre_receive(self, alert, **kwargs):
        alert["tags"] = request.args.getlist("tag")
        return alert

    def describe(self):
        return super().describe() + f" by {request.method}"
"""

VIEWS = """\
from flask import Flask, jsonify, request

from .plugins import loaded

app = Flask(__name__)
REGISTRY = {name: cls(name) for name, cls in loaded().items()}


@app.route("/alert", methods=["POST"])
def receive():
    alert = dict(request.get_json())
    for plugin in REGISTRY.values():
        alert = plugin.pre_receive(alert, config={})
    return jsonify(alert=alert, plugins=[p.describe() for p in REGISTRY.values()]), 201
"""

LOADER = """\
def loaded():
    from .builtin import RemoteIp, Tagger

    return {"remote_ip": RemoteIp, "tagger": Tagger}
"""


def test_methods_called_through_a_base_answer_as_flask(tmp_path):
    package = tmp_path / "src" / "hooked_plugins"
    (package / "plugins").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "plugins" / "__init__.py").write_text(BASE + "\n\n" + LOADER)
    (package / "plugins" / "builtin.py").write_text(PLUGINS)
    (package / "views.py").write_text(VIEWS)
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "hooked_plugins" / "plugins" / "builtin.py").read_text()
    assert "def pre_receive(self, alert, **kwargs):" in converted
    flask_app = load(tmp_path / "src", "hooked_plugins.views")
    fastapi_app = load(tmp_path / "out", "hooked_plugins.views")
    requests = [("POST", "/alert?tag=a&tag=b", {"json": {"resource": "web01"}, "headers": {"User-Agent": "probe"}})]
    assert_same(flask_app, fastapi_app, requests)
