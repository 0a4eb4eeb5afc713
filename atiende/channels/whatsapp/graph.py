"""The Graph API calls atiende makes: send a message, mark read, media, and the look-up of
the channel's own number that *Probar conexión* makes."""

from dataclasses import dataclass
from typing import Any

import httpx

# Meta answers these when the request itself was fine but now is not the moment.
_RETRYABLE_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131056})


@dataclass(frozen=True)
class GraphTarget:
    base_url: str
    version: str
    phone_number_id: str
    access_token: str


class GraphError(Exception):
    """`http_status` 0: no answer at all (`timed_out` says whether it was a time-out)."""

    def __init__(
        self,
        http_status: int,
        code: int | None,
        title: str,
        retryable: bool,
        *,
        timed_out: bool = False,
    ) -> None:
        super().__init__(f"{http_status} {code}: {title}")
        self.http_status = http_status
        self.code = code
        self.title = title
        self.retryable = retryable
        self.timed_out = timed_out


@dataclass(frozen=True)
class PhoneNumberInfo:
    """What Graph says of a business number (`GET /{phone-number-id}`)."""

    id: str
    display_phone_number: str
    verified_name: str
    quality_rating: str | None
    code_verification_status: str | None


PHONE_NUMBER_FIELDS = (
    "display_phone_number",
    "verified_name",
    "quality_rating",
    "code_verification_status",
)


# An administrator waits for the answer: long enough for a slow Graph, short enough to wait.
LOOKUP_TIMEOUT = 10.0


async def phone_number_info(client: httpx.AsyncClient, target: GraphTarget) -> PhoneNumberInfo:
    """The channel's number as Meta knows it, asked with the channel's own token."""
    url = f"{target.base_url.rstrip('/')}/{target.version}/{target.phone_number_id}"
    headers = {"Authorization": f"Bearer {target.access_token}"}
    params = {"fields": ",".join(PHONE_NUMBER_FIELDS)}
    try:
        response = await client.get(url, params=params, headers=headers, timeout=LOOKUP_TIMEOUT)
    except httpx.TimeoutException as exc:
        raise GraphError(0, None, exc.__class__.__name__, True, timed_out=True) from exc
    except httpx.HTTPError as exc:
        raise GraphError(0, None, f"{exc.__class__.__name__}: {exc}", True) from exc
    data = _json(response)
    if response.status_code != 200:
        raise _error_from(response.status_code, data)
    number, name = data.get("display_phone_number"), data.get("verified_name")
    if not isinstance(number, str) or not isinstance(name, str):
        raise GraphError(200, None, f"respuesta inesperada de la API: {data!r}"[:300], False)
    quality, verification = data.get("quality_rating"), data.get("code_verification_status")
    return PhoneNumberInfo(
        id=str(data.get("id", target.phone_number_id)),
        display_phone_number=number,
        verified_name=name,
        quality_rating=quality if isinstance(quality, str) else None,
        code_verification_status=verification if isinstance(verification, str) else None,
    )


def _addressed(phone: str | None, bsuid: str | None, body: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual"}
    # `to` wins when both are sent, so the BSUID is used only when there is no phone.
    if phone:
        payload["to"] = phone
    elif bsuid:
        payload["recipient"] = bsuid
    else:
        raise ValueError("a customer needs a phone or a BSUID to be written to")
    return payload | body


def text_payload(*, phone: str | None, bsuid: str | None, body: str) -> dict[str, Any]:
    preview = "http://" in body or "https://" in body
    return _addressed(
        phone, bsuid, {"type": "text", "text": {"body": body, "preview_url": preview}}
    )


def media_payload(
    *,
    phone: str | None,
    bsuid: str | None,
    kind: str,
    media_id: str,
    caption: str | None,
    filename: str | None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"id": media_id}
    # Meta takes captions on images, videos and documents only; file names on documents.
    if caption and kind in ("image", "video", "document"):
        body["caption"] = caption
    if filename and kind == "document":
        body["filename"] = filename
    return _addressed(phone, bsuid, {"type": kind, kind: body})


def template_payload(
    *, phone: str | None, bsuid: str | None, name: str, language: str, params: list[str]
) -> dict[str, Any]:
    template: dict[str, Any] = {"name": name, "language": {"code": language}}
    if params:
        template["components"] = [
            {"type": "body", "parameters": [{"type": "text", "text": p} for p in params]}
        ]
    return _addressed(phone, bsuid, {"type": "template", "template": template})


async def send_message(
    client: httpx.AsyncClient, target: GraphTarget, payload: dict[str, Any]
) -> str:
    """POST /{version}/{phone_number_id}/messages; returns the wamid Meta assigned."""
    data = await _post(client, target, payload)
    try:
        return str(data["messages"][0]["id"])
    except (KeyError, IndexError, TypeError) as exc:
        raise GraphError(200, None, f"respuesta inesperada de la API: {data!r}", True) from exc


async def mark_read(
    client: httpx.AsyncClient, target: GraphTarget, wamid: str, *, typing: bool = False
) -> None:
    """Blue ticks for the customer up to `wamid`; with `typing`, also WhatsApp's typing
    indicator, which Meta shows for up to 25 s or until the reply arrives."""
    payload: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": wamid,
    }
    if typing:
        payload["typing_indicator"] = {"type": "text"}
    await _post(client, target, payload)


async def _post(
    client: httpx.AsyncClient, target: GraphTarget, payload: dict[str, Any]
) -> dict[str, Any]:
    url = f"{target.base_url.rstrip('/')}/{target.version}/{target.phone_number_id}/messages"
    headers = {"Authorization": f"Bearer {target.access_token}"}
    try:
        response = await client.post(url, json=payload, headers=headers, timeout=15)
    except httpx.HTTPError as exc:
        raise GraphError(
            0, None, f"sin respuesta de la API: {exc.__class__.__name__}", True
        ) from exc
    try:
        data = response.json()
    except ValueError:
        data = {}
    if response.status_code == 200 and isinstance(data, dict):
        return data
    raise _error_from(response.status_code, data)


def _error_from(http_status: int, data: Any) -> GraphError:
    error = data.get("error", {}) if isinstance(data, dict) else {}
    code = error.get("code") if isinstance(error, dict) else None
    title = (
        (error.get("error_user_title") or error.get("message")) if isinstance(error, dict) else None
    ) or f"HTTP {http_status}"
    retryable = http_status >= 500 or http_status == 429 or code in _RETRYABLE_CODES
    return GraphError(http_status, code if isinstance(code, int) else None, str(title), retryable)


MAX_MEDIA_BYTES = 100 * 1024 * 1024  # WhatsApp's largest kind (documents)


async def download_media(
    client: httpx.AsyncClient, target: GraphTarget, media_id: str
) -> tuple[bytes, str | None, str | None]:
    """GET /{media-id} for the short-lived URL, then the bytes, both with the bearer token.
    Returns the bytes, the MIME type and the SHA-256 Meta reported."""
    url = f"{target.base_url.rstrip('/')}/{target.version}/{media_id}"
    headers = {"Authorization": f"Bearer {target.access_token}"}
    try:
        meta = await client.get(url, headers=headers, timeout=15)
    except httpx.HTTPError as exc:
        raise GraphError(
            0, None, f"sin respuesta de la API: {exc.__class__.__name__}", True
        ) from exc
    info = _json(meta)
    if meta.status_code != 200 or not isinstance(info.get("url"), str):
        raise _error_from(meta.status_code, info)
    try:
        async with client.stream("GET", info["url"], headers=headers, timeout=60) as response:
            if response.status_code != 200:
                raise GraphError(
                    response.status_code,
                    None,
                    f"descarga HTTP {response.status_code}",
                    response.status_code >= 500 or response.status_code == 404,
                )
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > MAX_MEDIA_BYTES:
                    raise GraphError(200, None, "el archivo supera los 100 MB", False)
                chunks.append(chunk)
    except httpx.HTTPError as exc:
        raise GraphError(0, None, f"descarga interrumpida: {exc.__class__.__name__}", True) from exc
    mime = info.get("mime_type")
    sha = info.get("sha256")
    return (
        b"".join(chunks),
        mime if isinstance(mime, str) else None,
        sha if isinstance(sha, str) else None,
    )


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


async def upload_media(
    client: httpx.AsyncClient, target: GraphTarget, data: bytes, mime: str, filename: str
) -> str:
    """POST /{phone_number_id}/media; returns the media id to send by."""
    url = f"{target.base_url.rstrip('/')}/{target.version}/{target.phone_number_id}/media"
    headers = {"Authorization": f"Bearer {target.access_token}"}
    try:
        response = await client.post(
            url,
            headers=headers,
            timeout=120,
            data={"messaging_product": "whatsapp", "type": mime},
            files={"file": (filename, data, mime)},
        )
    except httpx.HTTPError as exc:
        raise GraphError(
            0, None, f"sin respuesta de la API: {exc.__class__.__name__}", True
        ) from exc
    info = _json(response)
    if response.status_code == 200 and isinstance(info.get("id"), str):
        return str(info["id"])
    raise _error_from(response.status_code, info)
