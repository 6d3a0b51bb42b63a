"""Responses: ``jsonify``, ``(body, status[, headers])`` returns, ``redirect``, ``abort``, ``Response``.

A view's return value is rewritten by what it is: JSON data stays plain data (FastAPI encodes it),
text and templates become ``HTMLResponse`` (FastAPI would JSON-encode a str), anything whose kind is
only known at run time (a helper's result, a variable) goes through the helper ``make_response``,
which applies Flask's own rules (a helper's ``(body, status)`` tuple keeps its status).
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi.names import FlaskNames
from codemods.flask_to_fastapi.nodes import arg, call, code

HTTP_ERRORS = {
    "BadRequest": 400,
    "Unauthorized": 401,
    "Forbidden": 403,
    "NotFound": 404,
    "MethodNotAllowed": 405,
    "NotAcceptable": 406,
    "RequestTimeout": 408,
    "Conflict": 409,
    "Gone": 410,
    "RequestEntityTooLarge": 413,
    "UnsupportedMediaType": 415,
    "UnprocessableEntity": 422,
    "TooManyRequests": 429,
    "InternalServerError": 500,
    "NotImplemented": 501,
    "ServiceUnavailable": 503,
}


TEXT = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)  # the app's response class answers a str as HTML


def kind_of(node: cst.BaseExpression, names: FlaskNames) -> str:
    """'json', 'html', 'response' or 'unknown' for an (original) returned expression."""
    if isinstance(node, (cst.Dict, cst.List, cst.DictComp, cst.ListComp)):
        return "json"
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
        return "html"
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Modulo, cst.Add)):
        return "html" if kind_of(node.left, names) == "html" else "unknown"
    if isinstance(node, cst.Call):
        if isinstance(node.func, cst.Name) and node.func.value in ("dict", "list", "sorted"):
            return "json"
        target = names.resolve(node.func)
        if target == "flask.jsonify" or target == "flask.json.jsonify":
            return "json"
        if target in ("flask.render_template", "flask.render_template_string"):
            return "html"
        if target in (
            "flask.redirect",
            "flask.make_response",
            "flask.Response",
            "flask.send_file",
            "flask.send_from_directory",
            "flask.wrappers.Response",
        ):
            return "response"
        if (
            isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "format"
            and isinstance(node.func.value, (cst.SimpleString, cst.ConcatenatedString))
        ):
            return "html"
    return "unknown"


def _plain(node: cst.BaseExpression) -> bool:
    """A literal tree of str/int/bool/None that json.dumps takes as it is."""
    if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float, cst.FormattedString, cst.ConcatenatedString)):
        return True
    if isinstance(node, cst.Name):
        return node.value in ("True", "False", "None")
    if isinstance(node, cst.Dict):
        return all(isinstance(e, cst.DictElement) and _plain(e.key) and _plain(e.value) for e in node.elements)
    if isinstance(node, (cst.List, cst.Tuple)):
        return all(isinstance(e, cst.Element) and _plain(e.value) for e in node.elements)
    return False


def jsonify_payload(updated: cst.BaseExpression, name: str = "jsonify") -> cst.BaseExpression:
    """The data a (rewritten-arguments) ``jsonify(...)`` call or literal would send (``name``: the helper's local)."""
    if not isinstance(updated, cst.Call):
        return updated
    positional = [a for a in updated.args if a.keyword is None and not a.star]
    keywords = [a for a in updated.args if a.keyword is not None or a.star == "**"]
    if any(a.star == "*" for a in updated.args) or positional and keywords:
        return updated.with_changes(func=cst.Name(name))  # known at run time: the helper's jsonify decides
    if len(positional) == 1 and not keywords:
        return positional[0].value
    if keywords:  # jsonify(code=code, **extra): one object, as Flask's dict(**kwargs)
        elements = [
            cst.StarredDictElement(a.value)
            if a.star == "**"
            else cst.DictElement(cst.SimpleString(f'"{a.keyword.value}"'), a.value)
            for a in keywords
        ]
        return cst.Dict(elements)
    if not updated.args:  # Flask >= 2.2 sends null, older Flask {}: the helper's jsonify() asks the installed Flask
        return call(name)
    return cst.List([cst.Element(a.value) for a in positional])


def json_response(
    payload: cst.BaseExpression,
    extra: list[cst.Arg],
    needs: set[str],
    name: str = "jsonify",
    responder: str = "make_response",
) -> cst.Call:
    """The helper's ``JSONResponse``: Flask's bytes (the app's JSON settings, dates as HTTP dates, a newline)."""
    if isinstance(payload, cst.Call) and isinstance(payload.func, cst.Name) and payload.func.value == name:
        needs.add(name)
        if not extra:
            return payload
        needs.add(responder)
        return call(responder, arg(payload), *[arg(a.value) for a in extra])
    needs.add("JSONResponse")
    return call("JSONResponse", arg(payload), *extra)


def returned(
    original: cst.BaseExpression,
    updated: cst.BaseExpression,
    names: FlaskNames,
    needs: set[str],
    *,
    must_respond: bool,
    taken: set[str] = frozenset(),
    by_hand: bool = False,
) -> cst.BaseExpression:
    """The new return value of a view (``must_respond`` for exception handlers, which must return a Response).
    ``taken``: names the module binds itself, not Flask's: its own ``make_response`` is not the helper's, which is
    then reached by its alias (``make_response_helper``). ``by_hand``: the project's tests call the view themselves;
    its page is the helper's ``make_response`` of it, the response and the text at once, the str Flask's view gave
    them (``str(page)``, ``'Title' in page``), where an ``HTMLResponse`` is neither."""
    responder = "make_response_helper" if "make_response" in taken else "make_response"  # imports.HELPER_ALIAS_FOR
    body_o, body_u, status, headers = original, updated, None, None
    if isinstance(original, cst.Tuple) and isinstance(updated, cst.Tuple) and 2 <= len(original.elements) <= 3:
        values = [e.value for e in updated.elements]
        if any(isinstance(e, cst.StarredElement) for e in original.elements):
            return updated
        body_o, body_u = original.elements[0].value, values[0]
        rest = values[1:]
        if len(rest) == 2:
            status, headers = rest
        elif isinstance(rest[0], (cst.Dict, cst.List)):
            headers = rest[0]
        else:
            status = rest[0]
    kind = kind_of(body_o, names)
    if status is not None and not isinstance(status, (cst.Integer, cst.Name, cst.Attribute)):
        kind = "unknown"  # "201 CREATED" and friends: let Flask's rules decide at run time
    extra: list[cst.Arg] = []
    if status is not None:
        extra.append(arg(status, "status_code"))
    if headers is not None:
        extra.append(arg(headers if isinstance(headers, cst.Dict) else call("dict", arg(headers)), "headers"))
    if kind == "json":
        jsonify = isinstance(body_o, cst.Call) and names.resolve(body_o.func) in ("flask.jsonify", "flask.json.jsonify")
        payload = jsonify_payload(body_u) if jsonify else body_u
        if not extra and not must_respond and _plain(payload) and not isinstance(payload, TEXT):
            return payload  # literals only: FastAPI encodes them as Flask would (the app's response class)
        return json_response(payload, extra, needs, responder=responder)
    if kind == "html" and by_hand and not extra:
        needs.add(responder)
        return call(responder, arg(body_u))
    if kind == "html":
        needs.add("HTMLResponse")
        return call("HTMLResponse", arg(body_u), *extra)
    if status is None and headers is None and kind == "response":
        return updated
    # anything else (a helper's result, a variable) is known only at run time: Flask's rules decide,
    # so a helper's (body, status) tuple keeps its status and a str stays text, as in Flask
    needs.add(responder)
    return call(responder, *[arg(v) for v in (body_u, status, headers) if v is not None])


def redirect(updated: cst.Call, needs: set[str]) -> cst.Call:
    """``redirect(url, 301)``: the helper's, which answers Werkzeug's body (FastAPI's RedirectResponse has none)."""
    needs.add("redirect")
    return updated.with_changes(func=cst.Name("redirect"))


def abort_raise(updated: cst.Call, needs: set[str]) -> cst.Raise | None:
    """``abort(404, "why")`` to ``raise HTTPException(status_code=404, detail="why")``; None if not a status."""
    exception = abort_exception(updated, needs)
    return cst.Raise(exc=exception) if exception is not None else None


def abort_exception(updated: cst.Call, needs: set[str]) -> cst.Call | None:
    """``abort(404, "why")`` to ``HTTPException(status_code=404, detail="why")``; None if not a status."""
    positional = [a for a in updated.args if a.keyword is None]
    keywords = {a.keyword.value: a.value for a in updated.args if a.keyword is not None}
    status = positional[0].value if positional else keywords.get("status")
    if status is None or not isinstance(status, (cst.Integer, cst.Name, cst.Attribute, cst.Subscript)):
        return None
    if (
        isinstance(status, cst.Name)
        and status.value[:1].isupper() is False
        and status.value in ("response", "resp", "rv")
    ):
        return None
    detail = positional[1].value if len(positional) > 1 else keywords.get("description")
    args = [arg(status, "status_code")]
    if detail is not None:
        args.append(arg(detail, "detail"))
    needs.add("HTTPException")
    return call("HTTPException", *args)


def http_error(name: str, updated: cst.Call, needs: set[str]) -> cst.Call:
    """``NotFound("why")`` (werkzeug) to ``HTTPException(status_code=404, detail="why")``."""
    needs.add("HTTPException")
    args = [arg(cst.Integer(str(HTTP_ERRORS[name])), "status_code")]
    description = next((a.value for a in updated.args if a.keyword is None or a.keyword.value == "description"), None)
    if description is not None:
        args.append(arg(description, "detail"))
    return call("HTTPException", *args)


def flask_response(updated: cst.Call, needs: set[str], generators: set[str] = frozenset()) -> cst.Call:
    """``Response(body, status=, headers=, mimetype=)`` to Starlette's ``Response(content, status_code=, ...)``;
    a generator's output (``Response(generate())``, a generator expression) streams, as Werkzeug streamed it."""
    renames = {
        "status": "status_code",
        "mimetype": "media_type",
        "content_type": "media_type",
        "response": "content",
        "headers": "headers",
    }
    positional_names = ["content", "status_code", "headers", "media_type", "media_type"]
    args: list[cst.Arg] = []
    streaming = False
    for index, a in enumerate(updated.args):
        keyword = a.keyword.value if a.keyword else positional_names[index] if index < len(positional_names) else None
        keyword = renames.get(keyword, keyword)
        value = a.value
        if keyword == "content" and isinstance(value, cst.Call) and code(value.func).endswith("stream_with_context"):
            value, streaming = value.args[0].value, True
        elif keyword == "content" and (
            isinstance(value, cst.GeneratorExp)
            or isinstance(value, cst.Call)
            and isinstance(value.func, cst.Name)
            and value.func.value in generators
        ):
            streaming = True
        if keyword == "content" and index == 0 and a.keyword is None:
            args.append(arg(value))
        else:
            args.append(arg(value, keyword))
    if not any(a.keyword and a.keyword.value == "media_type" for a in args):
        args.append(arg(cst.SimpleString('"text/html"'), "media_type"))
    name = "StreamingResponse" if streaming else "Response"
    needs.add(name)
    return call(name, *args)
