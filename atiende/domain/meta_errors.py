"""Meta's error codes, told to the agent in Spanish (the title Meta sends is English)."""

SPANISH = {
    1: "Error temporal de la API de WhatsApp.",
    2: "La API de WhatsApp no está disponible por el momento.",
    10: "La aplicación no tiene permiso para esta acción.",
    100: "La solicitud tiene un parámetro inválido.",
    190: "El token de acceso del canal no es válido o expiró.",
    200: "El token no tiene los permisos necesarios.",
    131000: "Error interno de WhatsApp.",
    131005: "El canal no tiene permiso para esta acción.",
    131008: "Falta un parámetro obligatorio.",
    131009: "Un parámetro tiene un valor inválido.",
    131026: "No se pudo entregar: el número no usa WhatsApp o su aplicación está desactualizada.",
    131042: "Hay un problema con la forma de pago de la cuenta de WhatsApp Business.",
    131047: "Pasaron más de 24 horas desde el último mensaje del cliente: envíe una plantilla.",
    131051: "WhatsApp no admite este tipo de mensaje.",
    131052: "No se pudo descargar el archivo del cliente.",
    131053: "WhatsApp no aceptó el archivo (tipo o tamaño).",
    131056: "Demasiados mensajes seguidos a este cliente: espere un momento.",
    131062: "Este mensaje no se puede enviar a un cliente identificado solo por su usuario.",
    130429: "Se superó el límite de mensajes por segundo del número.",
    132000: "Los valores no coinciden con los de la plantilla.",
    132001: "La plantilla no existe o no está aprobada en ese idioma.",
    133010: "El número de WhatsApp Business no está registrado.",
}


def spanish(code: int | None, title: str | None) -> str:
    if code is not None and code in SPANISH:
        return SPANISH[code]
    return title or "Error desconocido de WhatsApp."
