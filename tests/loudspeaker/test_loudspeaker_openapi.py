"""The loudspeaker feed's served OpenAPI description: valid OpenAPI 3, exactly the contract's paths."""

from openapi_spec_validator import validate

OPENAPI = "/api/loudspeaker/v1/openapi.json"
BASE = "/api/loudspeaker/v1/stations/{code}"


def test_openapi_is_served_valid_and_lists_every_contract_path(client, db):
    response = client.get(OPENAPI)

    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    description = response.json()
    validate(description)
    assert {path: sorted(ops) for path, ops in description["paths"].items()} == {
        BASE + "/schedule.json": ["get"],
        BASE + "/audio/{item_id}.mp3": ["get"],
        BASE + "/scripts/{item_id}.txt": ["get"],
        BASE + "/plays": ["post"],
    }
    [scheme] = description["components"]["securitySchemes"].values()
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")


def test_openapi_describes_ranges_etags_and_the_error_shape(client, db):
    description = client.get(OPENAPI).json()

    audio = description["paths"][BASE + "/audio/{item_id}.mp3"]["get"]
    schedule = description["paths"][BASE + "/schedule.json"]["get"]
    plays = description["paths"][BASE + "/plays"]["post"]
    assert {"200", "206", "304", "401", "404", "416", "429", "500"} <= set(audio["responses"])
    assert ("header", "Range") in {(p["in"], p["name"]) for p in audio["parameters"]}
    assert "ETag" in schedule["responses"]["200"]["headers"]
    assert {"200", "400", "401", "413", "429", "500"} <= set(plays["responses"])
    detail = description["components"]["schemas"]["ErrorDetail"]
    assert set(detail["properties"]) == {"code", "message"}
