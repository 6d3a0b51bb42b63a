"""Code the github corpus runs inside an app's venv: a pytest plugin noting each request's method and path,
a probe that imports an app and asks it paths, and a look-up of the module of each request's view."""

# Loaded into the app's tests beside ``recorder``: the (method, path) of each outermost request, in order,
# so a differing answer can be traced to the module of its view.
_PATHS_PLUGIN = """\
import json, os

_paths, _depth = {}, [0]
_current = ["<collect>"]


def _wrap(original):
    def open_and_note(self, *args, **kwargs):
        path = args[0] if args and isinstance(args[0], str) else kwargs.get("path", "/")
        method = kwargs.get("method") or (args[1] if len(args) > 1 and isinstance(args[1], str) else "GET")
        _depth[0] += 1
        try:
            return original(self, *args, **kwargs)
        finally:
            _depth[0] -= 1
            if _depth[0] == 0:
                _paths.setdefault(_current[0], []).append([method.upper(), str(path).split("?")[0]])

    return open_and_note


def pytest_configure(config):
    if os.environ.get("CORPUS_MODE") == "fastapi":
        from codemods.flask_to_fastapi import testclient

        testclient.FlaskStyleClient.open = _wrap(testclient.FlaskStyleClient.open)
    else:
        from flask.testing import FlaskClient

        FlaskClient.open = _wrap(FlaskClient.open)


def pytest_runtest_setup(item):
    _current[0] = item.nodeid


def pytest_unconfigure(config):
    with open(os.environ["CORPUS_OUT"] + ".paths", "w") as out:
        json.dump(_paths, out)
"""

# argv: mode, module:attribute, JSON factory args, JSON paths ("map": the original's argument-free GETs)
_PROBE = """\
import importlib, json, sys, warnings
warnings.simplefilter("ignore")
sys.path.insert(0, sys.argv[5])
from side_by_side import Answer
mode, target, args, paths = sys.argv[1:5]
module, _, attribute = target.partition(":")
app = getattr(importlib.import_module(module), attribute or "app")
app = app(*json.loads(args)) if not hasattr(app, "routes") and not hasattr(app, "url_map") else app
if mode == "fastapi" and hasattr(app, "__await__"):  # a factory the conversion made async: on the client's loop
    from codemods.flask_to_fastapi.testclient_loop import on_the_loop
    app = on_the_loop(app)
print("IMPORTED", flush=True)
if paths == "map":
    paths = sorted({r.rule for r in app.url_map.iter_rules()
                    if "GET" in r.methods and not r.arguments and r.endpoint != "static"})
else:
    paths = json.loads(paths)
if mode == "flask":
    client = app.test_client()
else:
    from codemods.flask_to_fastapi.testclient import FlaskStyleClient
    client = FlaskStyleClient(app)
answers = {}
for path in paths:
    try:
        a = Answer.of(client.get(path, headers={"User-Agent": "asyncshift-probe"}))
        answers[path] = [a.status, a.location, a.json, a.text]
    except (Exception, SystemExit) as exc:  # a view that exits (a factory called again, its config missing)
        answers[path] = [599, None, None, repr(exc)[:200]]
print(json.dumps(answers))
"""

# argv: module:attribute, JSON factory args, JSON [[method, path], ...]: the module of each request's view
_VIEWS = """\
import importlib, json, sys, warnings
warnings.simplefilter("ignore")
module, _, attribute = sys.argv[1].partition(":")
app = getattr(importlib.import_module(module), attribute or "app")
app = app(*json.loads(sys.argv[2])) if not hasattr(app, "url_map") else app
adapter = app.url_map.bind("localhost")
found = []
for method, path in json.loads(sys.argv[3]):
    try:
        endpoint, _ = adapter.match(path, method=method)
        view = app.view_functions[endpoint]
        found.append(getattr(view, "__module__", None) or "")
    except Exception:
        found.append("")
print(json.dumps(found))
"""
