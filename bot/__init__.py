"""Village-group bot: one core, three platforms (Telegram, Zalo, local web chat)."""

__version__ = "0.1.0"
