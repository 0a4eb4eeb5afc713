"""Event bus (memory | redis) and the WebSocket hub."""
