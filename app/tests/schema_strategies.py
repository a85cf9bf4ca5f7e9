"""Hypothesis strategies drawn from the JSON Schemas of the OpenAPI document.

Covers the subset the document uses: $ref, oneOf, const, enum, booleans, null, bounded numbers,
strings with a pattern, arrays with items and size bounds, and objects with properties,
`required`, `additionalProperties: false` and a `oneOf` of required/forbidden field sets.
(hypothesis-jsonschema would do this, but its releases reach into hypothesis internals that
current hypothesis no longer has.) Values listed under `examples` are drawn as often as
generated ones, so bodies get past the validators' cross-field rules and reach the computation.
"""

import math
from typing import Any

from hypothesis import strategies as st

Schema = dict[str, Any]


def from_schema(schema: Schema, root: Schema) -> st.SearchStrategy[Any]:
    """A strategy for values valid against `schema`; `root` resolves `#/...` references."""
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return st.deferred(lambda: from_schema(target, root))
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "oneOf" in schema and "properties" not in schema:
        return st.one_of([from_schema(branch, root) for branch in schema["oneOf"]])
    generated = _by_type(schema, root)
    if schema.get("examples"):
        return st.sampled_from(schema["examples"]) | generated
    return generated


def _by_type(schema: Schema, root: Schema) -> st.SearchStrategy[Any]:  # noqa: PLR0911 - one per type
    kinds = schema.get("type", "object")
    if isinstance(kinds, list):
        return st.one_of([_by_type({**schema, "type": kind}, root) for kind in kinds])
    if kinds == "null":
        return st.none()
    if kinds == "boolean":
        return st.booleans()
    if kinds in ("integer", "number"):
        return _number(schema, integer=kinds == "integer")
    if kinds == "string":
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True)
        return st.text(max_size=30)
    if kinds == "array":
        return st.lists(
            from_schema(schema.get("items", {}), root),
            min_size=schema.get("minItems", 0),
            max_size=min(schema.get("maxItems", 8), 8),
        )
    return _object(schema, root)


def _number(schema: Schema, *, integer: bool) -> st.SearchStrategy[Any]:
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    if integer:
        return st.integers(
            min_value=None if low is None else math.ceil(low),
            max_value=None if high is None else math.floor(high),
        )
    return st.floats(
        min_value=low,
        max_value=high,
        exclude_min="exclusiveMinimum" in schema,
        exclude_max="exclusiveMaximum" in schema,
        allow_nan=False,
        allow_infinity=False,
    )


@st.composite
def _object(draw: st.DrawFn, schema: Schema, root: Schema) -> dict[str, Any]:
    properties: Schema = schema.get("properties", {})
    required = set(schema.get("required", ()))
    forbidden: set[str] = set()
    if "oneOf" in schema:
        branch = draw(st.sampled_from(schema["oneOf"]))
        required |= set(branch.get("required", ()))
        for clause in branch.get("not", {}).get("anyOf", ()):
            forbidden |= set(clause["required"])
    body: dict[str, Any] = {}
    for name, property_schema in properties.items():
        if name in forbidden:
            continue
        if name in required or draw(st.booleans()):
            body[name] = draw(from_schema(property_schema, root))
    return body
