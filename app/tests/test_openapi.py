"""The OpenAPI document describes every route, validates as OpenAPI 3.1, and its examples and
request schemas agree with the validators; /v1/docs renders it without loading anything from
elsewhere."""

import re

import jsonschema
import pytest
from openapi_spec_validator import validate

from ephemeris_api.web.openapi import openapi_document
from tests.conftest import ApiClient


@pytest.fixture(scope="module")
def spec(client: ApiClient) -> dict:
    response = client.get("/v1/openapi.json")
    assert response.status_code == 200
    return response.json


def test_the_document_is_valid_openapi_3(spec: dict) -> None:
    assert spec["openapi"].startswith("3.")
    validate(spec)


def test_every_registered_route_is_described_with_its_methods(
    client: ApiClient, spec: dict
) -> None:
    registered = {
        ("/" + route.path.lstrip("/"), method.lower())
        for route in client.app.router.routes
        for method in route.methods
        if method not in {"HEAD", "OPTIONS"}
    }
    described = {(path, method) for path, item in spec["paths"].items() for method in item}

    assert registered == described


def test_every_post_documents_the_422_error_shape(spec: dict) -> None:
    for path, item in spec["paths"].items():
        if "post" in item:
            responses = item["post"]["responses"]
            assert responses["422"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ValidationError"
            }, path


def _resolved(spec: dict, schema: dict) -> dict:
    """The schema with the document's components attached, so $ref resolves."""
    return {**schema, "components": spec["components"]}


def test_every_example_matches_its_schema_and_is_answered_200(
    client: ApiClient, spec: dict
) -> None:
    for path, item in spec["paths"].items():
        if "post" not in item:
            continue
        content = item["post"]["requestBody"]["content"]["application/json"]
        jsonschema.validate(content["example"], _resolved(spec, content["schema"]))
        response = client.post(path, json=content["example"])
        assert response.status_code == 200, (path, response.text)
        assert set(response.json) >= {"meta"}, path


def test_chart_answers_match_the_chart_schema_with_their_distribution(
    client: ApiClient, spec: dict
) -> None:
    for path in ("/v1/natal-chart", "/v1/composite", "/v1/progressions", "/v1/returns"):
        content = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        response = client.post(path, json=content["example"])

        assert response.status_code == 200, (path, response.text)
        jsonschema.validate(response.json, _resolved(spec, {"$ref": "#/components/schemas/Chart"}))
        assert "distribution" in response.json, path


def test_a_422_answer_matches_the_validation_error_schema(client: ApiClient, spec: dict) -> None:
    response = client.post("/v1/natal-chart", json={"latitude": 95})

    assert response.status_code == 422
    schema = _resolved(spec, {"$ref": "#/components/schemas/ValidationError"})
    jsonschema.validate(response.json, schema)


def test_the_subject_schema_lists_exactly_the_fields_the_validator_reads() -> None:
    from ephemeris_api.web.schemas import NATAL_CHART_FIELDS  # noqa: PLC0415

    subject = openapi_document()["components"]["schemas"]["Subject"]
    assert tuple(subject["properties"]) == NATAL_CHART_FIELDS
    assert subject["additionalProperties"] is False


def test_the_docs_page_is_html_that_loads_nothing_from_elsewhere(client: ApiClient) -> None:
    response = client.get("/v1/docs")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "/v1/openapi.json" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<script src" not in page
