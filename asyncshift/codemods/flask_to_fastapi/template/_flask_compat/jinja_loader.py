"""Flask's ``app.jinja_loader``: the app's own template loader, which an app may replace (a theme loader).

Flask's environment asks ``app.jinja_loader`` first, then the blueprints' folders, at every lookup, so a loader
set after the app was made (``app.jinja_loader = ChoiceLoader([...])``) serves every template. On the face the
assignment only set an attribute: templates were still looked up in ``templates/`` (TemplateNotFound, a 500).
Here it replaces the app's own loader in the environment (the first one; the blueprints' folders follow it).
End state: ``Jinja2Templates(env=...)`` built with that loader.
"""

from __future__ import annotations

from typing import Any


def get(app: Any) -> Any:
    loader = app.jinja_env.loader
    loaders = type(loader).__name__ == "ChoiceLoader" and getattr(loader, "loaders", None)
    return loaders[0] if loaders else loader


def put(app: Any, loader: Any) -> None:
    from jinja2 import ChoiceLoader

    current = app.jinja_env.loader
    if isinstance(current, ChoiceLoader) and current.loaders:  # the app's own, then the blueprints' folders
        app.jinja_env.loader = ChoiceLoader([loader, *current.loaders[1:]])
    else:
        app.jinja_env.loader = loader
    cache = getattr(app.jinja_env, "cache", None)
    if cache is not None:
        cache.clear()  # what the old loader found
