"""The aiohttp server: webhooks of both platforms, health, media, the simulator, public pages."""
