"""What a request may carry: strict JSON bodies, bounded path ids, no NUL in paths or queries.

Hostile input is refused here as 400/404/422 before it reaches a store that would fail on it (an id
past the column's range, NUL in PostgreSQL text, a lone surrogate in UTF-8, NaN in JSON columns).
"""

import json
import math
import re
from functools import cache
from typing import Any

import flask_smorest
from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from marshmallow import RAISE, Schema
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, UnicodeConverter, ValidationError

DB_INT_MAX = 2**31 - 1  # ids, versions and sequence numbers are 32-bit columns on PostgreSQL
PATH_TEXT_MAX = 100  # process keys, loan numbers and message names are short
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL and unpaired surrogates


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number.")


def _finite_float(text: str) -> float:
    number = float(text)
    if math.isinf(number):  # 1e400 would become Infinity, which no JSON column takes back
        raise ValueError(f"{text} is out of range.")
    return number


def loads(data: str | bytes) -> Any:
    """`json.loads` refusing what JSON or the stores do not allow, as a JSONDecodeError.

    Refused: NaN and Infinity (also as 1e400), nesting too deep to parse, integers of more than
    4300 digits, and strings holding NUL or an unpaired surrogate (`"\\ud800"`).
    """
    try:
        value = json.loads(data, parse_constant=_refuse_constant, parse_float=_finite_float)
    except json.JSONDecodeError:
        raise
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError too
        raise json.JSONDecodeError(f"Invalid JSON: {error}", "<body>", 0) from None
    if any(isinstance(text, str) and UNSTORABLE.search(text) for text in _strings(value)):
        raise json.JSONDecodeError("Invalid JSON: a string holds NUL or an unpaired surrogate.",
                                   "<body>", 0)
    return value


def _strings(value: Any):
    """Every key and value of a parsed JSON document, without recursion (depth is unbounded)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            yield item


class JSONProvider(DefaultJSONProvider):
    """`request.get_json()` with the strict `loads`; a refused body is Flask's 400."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s)


class Parser(FlaskParser):
    """webargs' parser with the strict `loads`; a refused body is its 400 `Invalid JSON body.`

    An unknown query parameter is refused (422) like an unknown body field, not ignored.
    """

    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": RAISE,
                                   "querystring": RAISE}

    def _raw_load_json(self, req: Any) -> Any:
        if not is_json_request(req):
            return core.missing
        parsed = req.get_json(silent=True)  # Flask's parse by `loads`, kept for the request's
        if parsed is None:  # other readers (the idempotency fingerprint, the view)
            return loads(req.get_data(cache=True))  # null, or refused: webargs' 400 says why
        return parsed

    def _get_schema(self, argmap: Any, req: Any) -> Schema:
        if isinstance(argmap, type) and issubclass(argmap, Schema):
            return _shared(argmap)  # webargs would build one per request
        return super()._get_schema(argmap, req)


@cache
def _shared(schema: type[Schema]) -> Schema:
    """One instance per schema class, for every request: building one deep-copies each field,
    and loading changes nothing in it (webargs passes `unknown` to `load`, not to the schema)."""
    return schema()


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint parsing bodies and queries with `Parser`."""

    ARGUMENTS_PARSER = Parser()


class IdConverter(IntegerConverter):
    """`<int:...>`: a stored id, so at most DB_INT_MAX; a larger number is 404, not an overflow."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> Any:
        if len(value) > len(str(DB_INT_MAX)):
            raise ValidationError()
        return super().to_python(value)


class TextConverter(UnicodeConverter):
    """`<key>`: one path segment of at most PATH_TEXT_MAX characters."""

    def __init__(self, map: Any, minlength: int = 1, maxlength: int | None = PATH_TEXT_MAX,
                 length: int | None = None) -> None:
        super().__init__(map, minlength, maxlength, length)


def refuse_unstorable_text() -> None:
    """NUL in a path or query value is refused (400): no id or filter holds it."""
    values = [*(request.view_args or {}).values(),
              *(value for _, value in request.args.items(multi=True))]
    if any(isinstance(value, str) and UNSTORABLE.search(value) for value in values):
        raise BadRequest("The path or query holds a NUL character.")


def init_app(app: Flask) -> None:
    """Install the strict JSON provider and path converters; call before routes are added."""
    app.json = JSONProvider(app)
    app.url_map.converters.update(int=IdConverter, default=TextConverter, string=TextConverter)
    app.before_request(refuse_unstorable_text)
