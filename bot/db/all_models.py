"""Import every table module so ``SQLModel.metadata`` is complete (Alembic, tests)."""

from bot.db import models  # noqa: F401
