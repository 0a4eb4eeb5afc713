"""Every code the server can refuse with has a text in Spanish and in English, in the
catalogues the web client imports: no refusal reaches an English screen in Spanish."""

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from atiende.api import errors
from atiende.domain import states
from atiende.domain.errors import Invalid
from atiende.i18n import LANGS, catalogue, error_text

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "atiende"
CLIENT_CATALOGUE = ROOT / "web" / "src" / "lib" / "i18n" / "errors.ts"
_BASES = {"DomainError", "NotFound", "Forbidden", "Invalid"}
# Codes built at run time, by the file that builds them.
_DYNAMIC = {
    "atiende/domain/states.py": {f"invalid_state_for_{action}" for action in states._REFUSALS},
}
# The causes of a refusal with several, by the class that carries the cause first.
_REASONS = {
    "Refused": ("file_refused", 1),
    "ParamsProblem": ("template_params", 0),
    # What is wrong with one value of a form: `errors` and `error_codes` per field.
    "FieldProblem": ("form_field", 0),
    "FieldRefused": ("form_field", 0),
}


def _trees() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(SOURCE.rglob("*.py")):
        yield str(path.relative_to(ROOT)), ast.parse(path.read_text("utf-8"))


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _refusal_classes() -> set[str]:
    """DomainError and every subclass of it anywhere in the package."""
    found = set(_BASES)
    classes = [n for _, tree in _trees() for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    grew = True
    while grew:
        grew = False
        for c in classes:
            if c.name not in found and any(_name(b) in found for b in c.bases):
                found.add(c.name)
                grew = True
    return found


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def server_codes() -> set[str]:
    refusals = _refusal_classes()
    codes: set[str] = set()
    for path, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in refusals and node.args:
                code = _literal(node.args[0])
                if code is None:
                    assert path in _DYNAMIC, f"{path}:{node.lineno}: a code not written out"
                    continue
                codes.add(code)
            # Answers built by hand (middleware, the page fallback): {"code": "..."}.
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if _literal(key) == "code" and _literal(value):
                        codes.add(str(_literal(value)))
    for dynamic in _DYNAMIC.values():
        codes |= dynamic
    return codes | set(errors._HTTP_CODES.values()) | {"http_error"}


def reason_keys() -> set[str]:
    keys: set[str] = set()
    for _, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in _REASONS:
                code, position = _REASONS[str(_name(node.func))]
                if len(node.args) > position and (reason := _literal(node.args[position])):
                    keys.add(f"{code}.{reason}")
    return keys


def test_the_scan_finds_the_refusals_it_must() -> None:
    codes = server_codes()
    assert len(codes) >= 55
    assert {"already_taken", "agent_full", "template_params", "file_refused"} <= codes
    assert {"form_incomplete", "too_many_attempts", "bad_credentials", "not_authenticated"} <= codes
    assert {"invalid_request", "body_too_large", "invalid_state_for_write"} <= codes
    assert {"file_refused.size", "template_params.count"} <= reason_keys()
    fields = {"form_field.required", "form_field.too_long", "form_field.invalid_email"}
    assert fields <= reason_keys()


@pytest.mark.parametrize("lang", LANGS)
def test_every_code_has_a_text_in_each_language(lang: str) -> None:
    texts = catalogue(lang)
    missing = sorted((server_codes() | reason_keys()) - set(texts))
    assert missing == []


def test_both_languages_have_the_same_entries_and_placeholders() -> None:
    es, en = catalogue("es"), catalogue("en")
    assert set(es) == set(en)
    for key in es:
        assert set(re.findall(r"\{(\w+)\}", es[key])) == set(re.findall(r"\{(\w+)\}", en[key])), key


def test_the_client_translates_with_these_very_catalogues() -> None:
    source = CLIENT_CATALOGUE.read_text("utf-8")
    for lang in LANGS:
        imported = re.search(rf"from '([^']+errors\.{lang}\.json)'", source)
        assert imported, f"{CLIENT_CATALOGUE} does not import errors.{lang}.json"
        path = (CLIENT_CATALOGUE.parent / imported.group(1)).resolve()
        assert json.loads(path.read_text("utf-8")) == catalogue(lang)


def test_texts_are_filled_from_params_the_precise_cause_first() -> None:
    refusal = Invalid("file_refused", "…", params={"reason": "size", "size_mb": 7.2, "limit_mb": 5})
    assert error_text("en", refusal.code, refusal.params) == (
        "The file weighs 7.2 MB; WhatsApp accepts up to 5 MB for this kind of file."
    )
    assert error_text("es", "file_refused", {"reason": "unheard_of"}) == (
        "WhatsApp no admite este archivo."
    )
    assert error_text("en", "no_such_code", {}) is None
