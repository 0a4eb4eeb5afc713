"""The contract the web client is generated from: the app's OpenAPI document plus the
WebSocket events, which no route declares.

`python -m atiende.api.contract` prints it; `make api` turns it into `web/src/lib/api-types.ts`.
Building the app touches no database (only its lifespan does), so this runs anywhere.
"""

import json
from typing import Any

from atiende.api.app import create_app
from atiende.config import Settings
from atiende.realtime.events import EVENT

EVENT_SCHEMA = "ServerEvent"
_REF = "#/components/schemas/{model}"


def contract() -> dict[str, Any]:
    document = create_app(Settings(), run_workers=False).openapi()
    schemas: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
    # Events are sent as the server serialises them, as response bodies are.
    events = EVENT.json_schema(mode="serialization", ref_template=_REF)
    for name, schema in events.pop("$defs", {}).items():
        _require_tag(schema)
        if name in schemas and _plain(schemas[name]) != _plain(schema):
            # Two different shapes under one name would give the client the wrong one.
            raise ValueError(f"event schema {name!r} differs from the API's")
        schemas.setdefault(name, schema)
    schemas[EVENT_SCHEMA] = events
    return document


def _require_tag(schema: dict[str, Any]) -> None:
    """Every event carries its `type` (a default only spares the server writing it), so the
    client can narrow the union on it."""
    tag = schema.get("properties", {}).get("type", {})
    if "const" in tag and "type" not in schema.get("required", []):
        schema["required"] = ["type", *schema.get("required", [])]


def _plain(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema without `"default": null`, which FastAPI leaves out and pydantic writes."""
    properties = {
        key: {k: v for k, v in prop.items() if (k, v) != ("default", None)}
        for key, prop in schema.get("properties", {}).items()
    }
    return {**schema, "properties": properties}


def main() -> None:
    print(json.dumps(contract(), indent=2, ensure_ascii=False, sort_keys=True))


if __name__ == "__main__":
    main()
