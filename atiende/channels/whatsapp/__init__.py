"""Meta WhatsApp Cloud API: webhook verification and parsing, Graph API client, dispatcher."""
