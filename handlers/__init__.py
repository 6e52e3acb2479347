"""Feature modules, written once for every platform, in routing order."""

from handlers import basics, meetings, villages

FEATURES = [
    basics.router,
    villages.router,
    meetings.router,
]
