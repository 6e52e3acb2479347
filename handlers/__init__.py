"""The feature registry: one package per feature, in routing order."""

from bot.core.router import Router
from handlers import (
    announce,
    basics,
    faq,
    households,
    meetings,
    polls,
    projects,
    reports,
    villages,
)

FEATURES: list[Router] = [
    basics.router,
    announce.router,
    villages.router,
    meetings.router,
    reports.router,  # before projects: an official's #phananh photo is a report
    projects.router,
    households.router,
    polls.router,
    faq.router,  # last: its plain-question hook catches every private message
]
