"""Platform adapters: the only code that imports ``telegram`` or ``zalo_bot``."""
