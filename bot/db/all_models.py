"""Import every table module so ``SQLModel.metadata`` is complete (Alembic, tests).

The core's tables are named here; each feature package defines its own on import, so the
feature registry brings them all.
"""

import handlers  # noqa: F401  (every feature package's models)
from bot.db import drafts, models, scaleout_models, sequences  # noqa: F401
from bot.delivery import models as delivery_models  # noqa: F401
