"""The feature registry: one package per feature, in routing order."""

from bot.core.router import Router
from handlers import announce, basics, faq, households, meetings, polls, projects, villages

FEATURES: list[Router] = [
    basics.router,
    announce.router,
    villages.router,
    meetings.router,
    projects.router,
    households.router,
    polls.router,
    faq.router,  # last: its plain-question hook catches every private message
]
