"""Reminders and recurring notices: the database is the schedule, APScheduler the alarm clock."""

from scheduler.reminders import FireStats, ReminderService
from scheduler.wakeup import ReminderScheduler

__all__ = ["FireStats", "ReminderScheduler", "ReminderService"]
