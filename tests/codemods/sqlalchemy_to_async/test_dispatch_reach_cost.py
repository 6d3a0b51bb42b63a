"""Following a dispatch site's callee (``dispatch._Resolver``) costs what it finds, on a program of a few hundred
modules: a value reaching nothing adds nothing (no new ``Reach`` built for it: a parameter handed a value by
thousands of calls, most of them reaching no function, built one per call before), a module with no flows is read
as one empty record, and ``x.attr = value`` set on objects from outside a class is looked up by the attribute, not
by every module of the run for every attribute followed (made again when a module joins the run)."""

from __future__ import annotations

from types import SimpleNamespace

from codemods.sqlalchemy_to_async.dispatch import NOTHING, Reach, _Resolver
from codemods.sqlalchemy_to_async.handler_flows import Flows


def test_a_value_reaching_nothing_adds_nothing():
    found = Reach(functions=frozenset({"m:f"}))
    assert NOTHING | NOTHING is NOTHING
    assert found | NOTHING is found
    assert NOTHING | found is found
    assert found | found is found
    both = found | Reach(functions=frozenset({"m:g"}), others=True)
    assert both == Reach(functions=frozenset({"m:f", "m:g"}), others=True)


class _Types:
    def __init__(self, kinds: dict) -> None:
        self.kinds = kinds

    def type_of(self, module, scope, expr):
        return self.kinds.get((module, expr))


def _module(set_on=()):
    flows = Flows()
    flows.set_on.extend(set_on)
    return SimpleNamespace(flows=flows)


def test_attributes_set_from_outside_a_class_are_found_by_name_and_a_module_joining_later_too(monkeypatch):
    bus = ("name", "bus")
    modules = {
        "app.wiring": _module([("setup", bus, "handlers", (("ref", ("name", "on_save")),))]),
        "app.other": SimpleNamespace(),
    }
    project = SimpleNamespace(
        modules=modules, mro=lambda module, cls: [SimpleNamespace(module="app.bus", qualname="Bus")]
    )
    project.types = _Types({("app.wiring", bus): "inst:app.bus:Bus", ("app.late", bus): "inst:app.bus:Bus"})
    resolver = _Resolver(project)
    seen = []
    monkeypatch.setattr(_Resolver, "_all", lambda self, values: seen.append(values) or NOTHING)
    resolver.attribute("app.bus", "Bus", "handlers")
    assert seen[-1] == [("app.wiring", "setup", (("ref", ("name", "on_save")),))]
    assert resolver.flows("app.other") is resolver.flows("app.missing")  # no flows: one empty record
    modules["app.late"] = _module([(None, bus, "handlers", (("ref", ("name", "on_load")),))])
    resolver.attribute("app.bus", "Bus", "handlers")
    assert [v[0] for v in seen[-1]] == ["app.wiring", "app.late"]
