"""The first pass over every file of a run: what crosses files, read once before any file is rewritten.

Which functions need the request passed in (``passing``), which names hold a Flask app or build one
(``running``: a ``run.py`` that imports ``create_app`` gets its ``app.run()`` converted too), and the
one folder every converted module imports the helpers from (``helper_place``).
"""

from __future__ import annotations

import posixpath
from pathlib import Path, PurePosixPath

import libcst as cst

from codemods.flask_to_fastapi import (
    analysis,
    extension_view_decorators,
    extensions,
    handed_owners,
    library_subclasses,
    module_globals,
    names,
    overridden_methods,
    own_packages,
    passing,
    replaced_by_tests,
    request_state,
    rest_extensions,
    running,
    unconverted_callers,
    view_classes,
    view_decorators,
    view_returns,
)
from codemods.flask_to_fastapi.handed_values import handed_values
from codemods.flask_to_fastapi.import_time_calls import called_at_import


def discover(files: list[tuple[str, str]]) -> passing.Project:
    """Every file of the run, read and parsed once."""
    facts: dict[str, passing.Function] = {}
    defined: set[str] = set()
    aliases: dict[str, str] = {}  # pkg.app -> what it is imported from or built by
    runs: dict[str, tuple[cst.Module, passing.Resolver]] = {}
    converted: list[tuple[str, str]] = []  # files that will import the helpers
    blueprints: dict[str, str | None] = {}  # pkg.bp -> its blueprint name, for every module that builds one
    method_views: dict[str, list[str]] = {}  # pkg.views.IndexAPI -> its HTTP methods
    dispatching: set[str] = set()  # pkg.views.Hello: a View answering by dispatch_request
    imports: dict[tuple[str, str], set[str]] = {}  # each file -> the qualified names it imports
    classes: dict = {}  # every class of the run: its bases, to find MethodViews through their parents
    methods: dict[str, set[str]] = {}  # every class of the run: the methods it defines
    handed: set[str] = set()  # functions handed over uncalled (handed_values)
    consuming: set[str] = set()  # pkg.decorators.json: a view decorator using the view's result
    calling: dict[str, set[str]] = {}  # a file with nothing of Flask's -> what its functions call (unconverted_callers)
    on_state: set[str] = set()  # names set on the request (``request.body = request.form`` in a hook): request_state
    registering: list[str] = []  # a file with nothing of Flask's registering views on an owner handed in
    returns: dict[str, bool] = {}  # pkg.views.index -> annotated: a view add_url_rule routes elsewhere (view_returns)
    for relative, disk in files:
        try:
            source = Path(disk).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if "flask" not in source and ".run(" not in source and "import" not in source and "add_url_rule" not in source:
            continue
        try:
            module = module_globals.rewrite(cst.parse_module(source))  # flask.request read as the transform reads it
        except Exception:  # a file that does not parse is reported by the runner
            continue
        facts.update(passing.facts_of(source, relative, disk, module))
        name = passing.module_name(relative, disk)
        resolver = passing.Resolver(module, name, passing.is_package(relative, disk))
        handed |= handed_values(module, resolver)  # handed over uncalled, maybe from another module
        handed |= called_at_import(module, resolver)  # ``@ratelimit(10)``: called before any request exists
        flask_names = names.collect(module)
        defined |= running.definitions(module, name, flask_names)
        if flask_names.found or extensions.uses(module):
            converted.append((relative, disk))
        extension = rest_extensions.extension_of(module)
        if extension and not _made_here(module, flask_names, extension):  # left on Flask: it passes no request
            handed |= passing.calls_of(module, relative, disk)
        if flask_names.found:
            found = analysis.analyse(module, flask_names)
            routers = [n for n in found.made if found.objects[n].kind == "router"]
            blueprints.update({f"{name}.{n}": found.objects[n].blueprint for n in routers})
            method_views.update({f"{name}.{cls}": methods for cls, methods in found.method_views.items()})
            dispatching.update(f"{name}.{cls}" for cls in found.dispatch)
            on_state |= request_state.assigned_names(module, flask_names)
        imports[(relative, disk)] = set(resolver.imports.values())
        classes.update(view_classes.classes_of(module, resolver.qualify))
        returns.update(view_returns.qualified(module, resolver.qualify))
        methods.update(overridden_methods.class_methods(module, resolver.qualify))
        consuming.update(f"{name}.{s.name.value}" for s in _functions(module) if view_decorators.consumes_result(s))
        aliases.update({f"{name}.{local}": target for local, target in resolver.imports.items()})
        aliases.update(running.assigned_calls(module, name, resolver.qualify))
        if ".run(" in source:
            runs[relative] = (module, resolver)
        if not flask_names.found and not extensions.uses(module):
            calling[relative] = unconverted_callers.calls_needing(module, relative, disk)
        if not flask_names.found and handed_owners.registers(module):  # configure(bp, routes) in a helper
            registering.append(relative)
    view_classes.close(classes, method_views, dispatching)
    packages = own_packages.of_files(files)  # the project's: no extension's, whatever their name
    handed |= library_subclasses.called_by_extensions(classes, set(facts))  # Flask-Admin's views: it calls them
    handed |= overridden_methods.overridden(classes, methods, set(facts), set(method_views))  # plugin.hook(alert)
    for key in handed & set(facts):  # ``ext.selector = get_locale`` in the factory: called with no request
        facts[key].as_value = True
    replaced, called_by_tests, patched = replaced_by_tests.uses_in_tests(files, set(facts))
    for key in replaced | {k for k in called_by_tests if not facts[k].defaulted}:  # the suite calls them as before
        facts[key].as_value = True
    known = _closure(defined, aliases)
    for alias in _closure(set(blueprints), aliases) - set(blueprints):  # ``from pkg import bp`` re-exported
        blueprints[alias] = blueprints.get(_target(alias, aliases, blueprints))
    involved = tuple(r for r, (m, resolver) in runs.items() if running.local_apps(m, resolver.qualify, known))
    holders = {name.rpartition(".")[0] for name in blueprints}  # modules imported whole: ``api.bp``
    using = [f for f, names_in in imports.items() if names_in & (blueprints.keys() | method_views.keys() | holders)]
    involved += tuple(r for r, _ in using if r not in involved)
    involved += tuple(r for r in registering if r not in involved)
    converted += [file for file in using if file not in converted]
    root, package = helper_place(converted)
    needs = passing.solve(facts)
    involved += tuple(r for r, called in calling.items() if called & needs and r not in involved)
    return passing.Project(
        needs,
        involved,
        frozenset(known),
        root,
        package,
        blueprints,
        method_views,
        frozenset(dispatching),
        extension_view_decorators.objects(classes, aliases, packages),  # ``oauth2 = OAuth2Provider()``: its decorators
        frozenset(consuming),
        frozenset(called_by_tests),
        frozenset(patched),
        passing.taking_request(facts),
        frozenset(on_state),
        packages,
        returns,
    )


def _functions(module: cst.Module) -> list[cst.FunctionDef]:
    return [s for s in module.body if isinstance(s, cst.FunctionDef)]


def _made_here(module: cst.Module, flask_names, extension: str) -> bool:
    """Whether a module importing a REST extension builds an app, a blueprint or MethodViews (it is converted);
    the others are its Resources, left on Flask (``__init__``'s ``_serves_itself``, without the run's objects)."""
    if not flask_names.found:
        return False
    found = analysis.analyse(module, flask_names)
    return bool(found.made or extension not in rest_extensions.ROUTES_METHOD_VIEWS and found.method_views)


def _target(alias: str, aliases: dict[str, str], known: dict) -> str | None:
    """The blueprint an alias leads to, following re-exports."""
    seen = set()
    while alias not in known and alias in aliases and alias not in seen:
        seen.add(alias)
        alias = aliases[alias]
    return alias


def helper_place(converted: list[tuple[str, str]]) -> tuple[str | None, str]:
    """The deepest folder holding every converted file, and its import name when it is a package."""
    roots = {Path(disk).parents[len(PurePosixPath(relative).parts) - 1] for relative, disk in converted}
    if len(roots) != 1:  # nothing, or several folders named on the command line: helpers beside each module
        return None, ""
    folders = [posixpath.dirname(relative) for relative, _ in converted]
    root = "" if "" in folders else posixpath.commonpath(folders)
    relative, disk = converted[0]
    depth = len(PurePosixPath(relative).parts) - 1
    folder = Path(disk).parents[depth - len(PurePosixPath(root).parts)]
    init = folder / "__init__.py"
    if not init.exists():
        return root, ""
    return root, passing.module_name(posixpath.join(root, "__init__.py"), str(init))


def _closure(defined: set[str], aliases: dict[str, str]) -> set[str]:
    """Apps and factories, plus every name that imports one or is built by calling a factory."""
    known = set(defined)
    changed = True
    while changed:
        changed = False
        for alias, target in aliases.items():
            if alias not in known and target in known:
                known.add(alias)
                changed = True
    return known
