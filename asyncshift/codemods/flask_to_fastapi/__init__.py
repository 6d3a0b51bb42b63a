"""Flask to FastAPI: the same URLs, names and answers, on ``FastAPI()``/``APIRouter`` with typed parameters.

One read (imports, apps, blueprints, views), then one rewriting pass, then the imports. What has
no FastAPI twin uses ``_flask_compat/``, a helper package written once with the converted code.
"""

from __future__ import annotations

import libcst as cst

from codemods.base import Codemod, Notes
from codemods.flask_to_fastapi import (
    apifairy_extension,
    apispec_extension,
    email_domains,
    extension_callbacks,
    extension_view_decorators,
    extensions,
    foreign_extensions,
    handed_owners,
    imports,
    module_globals,
    names,
    own_packages,
    passing,
    project,
    pydantic_one,
    python_floor,
    replaced_by_tests,
    request_state,
    requirements,
    rest_extensions,
    running,
    support,
    unconverted_callers,
    views_by_hand,
)
from codemods.flask_to_fastapi.analysis import Analysis, analyse, imported_objects
from codemods.flask_to_fastapi.transformer import FlaskToFastAPI


def transform(module: cst.Module, notes: Notes) -> cst.Module:
    module = module_globals.rewrite(module)  # flask.session -> session (from flask import session)
    flask_names = names.collect(module)
    run_facts = getattr(notes, "project", None)
    name = passing.module_name(notes.path, notes.source)
    resolver = passing.Resolver(module, name, passing.is_package(notes.path, notes.source))
    known = running.definitions(module, name, flask_names) | getattr(run_facts, "apps", frozenset())
    apps = running.local_apps(module, resolver.qualify, known)
    uses_blueprints = isinstance(run_facts, passing.Project) and any(
        q in run_facts.blueprints
        or q in run_facts.method_views
        or any(b.startswith(f"{q}.") for b in run_facts.blueprints)
        for q in resolver.imports.values()
    )
    extension = rest_extensions.extension_of(module)
    if extension and not _serves_itself(module, flask_names, resolver, run_facts, extension):
        return _kept_on_flask(module, notes, flask_names)  # Resources: they run inside the hosted Flask app
    foreign = extension_view_decorators._project_names(resolver, run_facts)  # an unconverted extension's objects
    if flask_names.found and rest_extensions.routed_by(module, foreign):
        return _kept_on_flask(module, notes, flask_names)  # views such an object registers on its Flask app
    if not flask_names.found and not uses_blueprints:
        rewritten = unconverted_callers.rewrite(module, notes, resolver, run_facts, flask_names)  # f(request, ...)
        rewritten = handed_owners.rewrite(rewritten, notes, flask_names)  # owner.add_url_rule in a helper
        if extensions.uses(module):  # models.py: only Flask-SQLAlchemy
            rewritten = extensions.rewrite(module, notes, support.place(notes, flask_names, module))
        rewritten = running.rewrite(rewritten, notes, apps)  # run.py: app.run() only
        rewritten = foreign_extensions.rewrite(rewritten, notes)  # extensions.py: Mail(), Moment()...
        place = support.place(notes, flask_names, module)
        rewritten = apispec_extension.rewrite_imports(rewritten, notes, place.prefix)  # flask_apispec: its port
        rewritten = pydantic_one.rewrite(rewritten, notes)  # a project pinned to pydantic 1: pydantic.v1
        rewritten = email_domains.rewrite(rewritten, notes)  # email-validator 1.1's special-use domains
        rewritten = apifairy_extension.rewrite_imports(rewritten, notes, place.prefix)  # a module of schemas, views
        if imports.HELPER_MODULE in rewritten.code and rewritten is not module:
            support.request_helper(notes, place.folder)
        if rewritten is not module:
            requirements.declare(rewritten.code, set(), notes)
        return rewritten
    replaced = request_state.replaced_sources(module, flask_names)
    run_state = run_facts.request_state if isinstance(run_facts, passing.Project) else frozenset()
    module = request_state.rewrite(module, flask_names, run_state)  # request.<set by the app> -> request.state.<...>
    analysis = analyse(module, flask_names)
    if isinstance(run_facts, passing.Project):
        imported_objects(analysis, resolver.imports, run_facts, resolver.name)
    for name in foreign - analysis.made:  # an extension's object is no router its decorators guessed (``api.route``)
        analysis.objects.pop(name, None)
    if not isinstance(run_facts, passing.Project):
        run_facts = passing.for_module(module, notes.path, notes.source)
    transformer = FlaskToFastAPI(flask_names, analysis, notes, resolver, run_facts.needs_request)
    transformer.foreign_objects = foreign
    transformer.own_packages = own_packages.of_module(name, run_facts)
    transformer.takes_request = run_facts.takes_request  # ``def get_url(request)``: handed the Starlette request
    transformer.run_returns = run_facts.returns  # the run's annotated functions and methods (view_returns)
    transformer.replaced_sources = replaced  # request.form = ... in a hook: views read the replacement
    transformer.app_names = apps | {n for n, o in analysis.objects.items() if o.kind == "app"}
    transformer.patched = replaced_by_tests.patched_globals(run_facts, resolver.name, flask_names)  # mock.patch()
    visited = module.visit(transformer)
    by_name = views_by_hand.called_by_hand(transformer)  # views the tests call: the request by name
    rewritten = passing.pass_request_to_views(visited, transformer.request_views, transformer.needs, by_name)
    packages = own_packages.of_module(name, run_facts)  # ``flask_notes``, the project's own: no extension
    own = extension_view_decorators._foreign_names(module, packages)
    own |= extension_view_decorators._own_objects(module, resolver, packages)
    rewritten = extension_callbacks.rewrite(rewritten, foreign | own, transformer.needs)  # on_breach=
    oldest = python_floor.floor(notes.source)
    rewritten, typing_names = python_floor.adapt(rewritten, oldest)
    place = support.place(notes, flask_names, module)
    result = imports.rewrite(
        rewritten, flask_names, transformer.needs | typing_names, place.prefix, transformer.patched
    )
    result = python_floor.typing_extensions_for_old(result, oldest)
    result = extensions.rewrite(result, notes, place)
    result = foreign_extensions.rewrite(result, notes)
    result = apispec_extension.rewrite_imports(result, notes, place.prefix)
    result = pydantic_one.rewrite(result, notes)
    result = email_domains.rewrite(result, notes)
    result = extension_view_decorators.rewrite(result, notes, place.prefix, resolver, run_facts, module)
    result = rest_extensions.host_apis(result, notes, place.prefix)
    result = apifairy_extension.rewrite_imports(result, notes, place.prefix)
    if imports.HELPER_MODULE in result.code:
        support.request_helper(notes, place.folder)
    requirements.declare(result.code, transformer.needs, notes)
    return result


def _serves_itself(module: cst.Module, flask_names, resolver, run_facts, extension: str) -> bool:
    """Whether a module builds or uses an app or blueprint (converted), rather than only REST Resources (which
    are MethodViews where the extension's own Blueprint routes them: flask-smorest's)."""
    if not flask_names.found:
        return False
    found, imported = analyse(module, flask_names), Analysis()  # decorators' owners are guessed: not counted
    if isinstance(run_facts, passing.Project):
        imported_objects(imported, resolver.imports, run_facts, resolver.name)
    views = extension not in rest_extensions.ROUTES_METHOD_VIEWS and (found.method_views or imported.method_views)
    return bool(found.made or imported.objects or views)


def _kept_on_flask(module: cst.Module, notes: Notes, flask_names) -> cst.Module:
    place = support.place(notes, flask_names, module)
    kept = rest_extensions.host_apis(rest_extensions.keep_on_flask(module, notes), notes, place.prefix)
    kept = extensions.rewrite(kept, notes, place, only="flask_sqlalchemy")  # the run's db and models are the helper's
    if imports.HELPER_MODULE in kept.code:
        support.request_helper(notes, place.folder)
        requirements.declare(kept.code, set(), notes)
    return kept


CODEMOD = Codemod(
    name="flask-to-fastapi",
    summary="Flask apps, blueprints, views, request access and responses to FastAPI, keeping names and URLs.",
    needles=("flask", "apifairy", "pydantic"),
    transform=transform,
    # the first pass (functions that read the request, across files) when this runner has one
    **({"discover": project.discover} if "discover" in getattr(Codemod, "__dataclass_fields__", {}) else {}),
)
