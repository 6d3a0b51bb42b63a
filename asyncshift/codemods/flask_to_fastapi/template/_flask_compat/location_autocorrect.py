"""Whether the app turned off Werkzeug's ``Location`` correction (``BaseResponse.autocorrect_location_header =
False``, on Werkzeug's or Flask's response class): its relative redirects then went out relative, before Werkzeug
2.1 too (``redirects.absolute_locations`` made every one absolute). End state: nothing (Starlette sends them as set).
"""

from __future__ import annotations


def autocorrect_off() -> bool:
    """True when a response class of a Werkzeug that corrected (< 2.1, which still has ``BaseResponse``) says
    ``autocorrect_location_header = False``: the app's line, the library's default being True there."""
    try:
        import werkzeug.wrappers as wrappers
    except ImportError:
        return False
    if not hasattr(wrappers, "BaseResponse"):  # Werkzeug 2.1+: it corrects nothing, there is nothing to turn off
        return False
    classes = [wrappers.BaseResponse, getattr(wrappers, "Response", None)]
    try:
        import flask.wrappers

        classes.append(flask.wrappers.Response)
    except ImportError:
        pass
    return any(getattr(c, "autocorrect_location_header", True) is False for c in classes if c is not None)
