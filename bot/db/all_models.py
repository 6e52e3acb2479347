"""Import every table module so ``SQLModel.metadata`` is complete (Alembic, tests)."""

from bot.db import (
    announce_models,  # noqa: F401
    faq_models,  # noqa: F401
    meetings_models,  # noqa: F401
    models,  # noqa: F401
    outbox_models,  # noqa: F401
    projects_models,  # noqa: F401
    scaleout_models,  # noqa: F401
)
