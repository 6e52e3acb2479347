"""Platform adapters: the only code that imports ``telegram`` or ``zalo_bot``.

The registry below names each platform's adapter module once; code that only knows a platform
by name (a chat row, a person) asks :func:`capabilities_of` instead of comparing names.
"""

from __future__ import annotations

from importlib import import_module

from bot.core.events import Platform
from bot.core.messenger import Capabilities

ADAPTER_MODULES: dict[Platform, str] = {
    Platform.WEB: "bot.adapters.webchat",
    Platform.TELEGRAM: "bot.adapters.telegram",
    Platform.ZALO: "bot.adapters.zalo",
}


def capabilities_of(platform: Platform | str) -> Capabilities:
    """What ``platform`` can do (imports its adapter module on first use)."""
    caps: Capabilities = import_module(ADAPTER_MODULES[Platform(platform)]).CAPABILITIES
    return caps
