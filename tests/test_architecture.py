"""Features are written once: only bot/adapters imports a platform SDK."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SDKS = {"telegram", "zalo_bot"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_adapters_import_platform_sdks() -> None:
    offenders = []
    for folder in ("bot", "handlers", "scheduler"):
        for path in (ROOT / folder).rglob("*.py"):
            if "adapters" in path.relative_to(ROOT).parts:
                continue
            if _imports(path) & SDKS:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_adapters_folder_is_where_sdks_live() -> None:
    adapters = ROOT / "bot" / "adapters"
    assert "telegram" in _imports(adapters / "telegram.py")
    assert "zalo_bot" in _imports(adapters / "zalo.py")
