"""The contract the web client's types are generated from (atiende/api/contract.py)."""

import json
from collections.abc import Iterator
from typing import Any, get_args

from atiende.api.contract import EVENT_SCHEMA, contract
from atiende.realtime.events import Event


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_every_event_type_is_in_the_contract_with_its_tag_required() -> None:
    schemas = contract()["components"]["schemas"]
    mapping = schemas[EVENT_SCHEMA]["discriminator"]["mapping"]
    members = get_args(get_args(Event)[0])
    assert set(mapping) == {m.model_fields["type"].default for m in members}
    for ref in mapping.values():
        assert "type" in schemas[ref.rsplit("/", 1)[1]]["required"]


def test_every_reference_resolves() -> None:
    document = contract()
    schemas = document["components"]["schemas"]
    for ref in _refs(document):
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in schemas


def test_the_document_is_json_and_stable() -> None:
    assert json.dumps(contract(), sort_keys=True) == json.dumps(contract(), sort_keys=True)
