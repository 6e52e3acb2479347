"""Feature modules, written once for every platform, in routing order."""

from handlers import announce, basics, delivery, faq, meetings, projects, villages

FEATURES = [
    basics.router,
    delivery.router,
    announce.router,
    villages.router,
    meetings.router,
    projects.router,
    faq.router,  # last: its plain-question hook catches every private message
]
