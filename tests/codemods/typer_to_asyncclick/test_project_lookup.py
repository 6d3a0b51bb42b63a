"""``Project.module``: the run's module a shorter import path means, found in an index built once
(scanning every module per lookup made the first pass quadratic in the files of a run)."""

from __future__ import annotations

from codemods.modules import suffix_index
from codemods.typer_to_asyncclick.project import ModuleFacts, Project


class CountingModules(dict):
    """The project's modules, counting how often they are walked through."""

    walks = 0

    def __iter__(self):
        CountingModules.walks += 1
        return super().__iter__()


def project_of(*names: str) -> Project:
    return Project(modules=CountingModules({name: ModuleFacts(name, name.replace(".", "/") + ".py") for name in names}))


def test_a_shorter_path_means_the_one_module_ending_with_it():
    project = project_of("src.cli.options", "src.cli.main", "src.jobs.main", "tools.abc")
    assert project.module("src.cli.options") == "src.cli.options"
    assert project.module("cli.options") == "src.cli.options"
    assert project.module("options") == "src.cli.options"
    assert project.module("cli.main") == "src.cli.main"
    assert project.module("main") is None  # two modules end with it
    assert project.module("bc") is None  # a part, not a piece of one
    assert project.module("json") is None
    assert project.module("") is None


def test_lookups_do_not_walk_the_modules_each_time():
    project = project_of(*(f"pkg{i}.mod{i}" for i in range(50)))
    CountingModules.walks = 0
    assert [project.module(f"mod{i}") for i in range(50)] == [f"pkg{i}.mod{i}" for i in range(50)]
    assert CountingModules.walks <= 1


def test_a_module_added_after_a_lookup_is_found():
    project = project_of("a.b")
    assert project.module("c") is None
    project.modules["x.c"] = ModuleFacts("x.c", "x/c.py")
    assert project.module("c") == "x.c"


def test_suffix_index():
    assert suffix_index(["a.b.c", "d.c", "e"]) == {"b.c": "a.b.c", "c": None}
