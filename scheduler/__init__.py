"""Reminders and recurring notices: the database is the schedule, APScheduler the alarm clock."""

from scheduler.reminders import DueJob, DueJobs, FireStats, ReminderService
from scheduler.wakeup import ReminderScheduler

__all__ = ["DueJob", "DueJobs", "FireStats", "ReminderScheduler", "ReminderService"]
