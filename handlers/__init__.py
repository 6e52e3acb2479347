"""Feature modules, written once for every platform, in routing order."""

from handlers import basics, meetings

FEATURES = [
    basics.router,
    meetings.router,
]
