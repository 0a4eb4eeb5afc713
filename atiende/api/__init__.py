"""HTTP and WebSocket transport: thin routers that authenticate and call actions."""
