"""The natal subject most tests ask about, and one call for its chart."""

from typing import Any

from tests.conftest import ApiClient

BERLIN = {
    "datetime": "1990-06-15T14:30:00",
    "timezone": "Europe/Berlin",
    "latitude": 52.52,
    "longitude": 13.405,
}


def natal_chart(client: ApiClient, **fields: Any) -> dict[str, Any]:  # noqa: ANN401
    """POST /v1/natal-chart for BERLIN with these fields changed; it must answer 200."""
    response = client.post("/v1/natal-chart", json={**BERLIN, **fields})
    assert response.status_code == 200, response.text
    return response.json
