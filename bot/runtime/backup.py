"""``villagebot backup`` / ``restore``: one file holding the SQLite database and the media.

The database is copied with SQLite's online backup API (``sqlite3.Connection.backup``), which
gives a consistent snapshot while the bot keeps running and writing.  Media files are only ever
added (never changed in place), so copying them after the database snapshot loses nothing the
snapshot refers to.  The archive is a plain tar file: ``villagebot.db`` and ``media/…``.

A running bot holds a shared ``flock`` on ``<database>.run.lock``; ``restore`` takes it
exclusively without waiting and refuses while any bot runs on that database.
PostgreSQL is backed up with ``pg_dump`` (see docs/deploy.md), not here.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlalchemy.engine import make_url

DB_MEMBER = "villagebot.db"
MEDIA_PREFIX = "media/"


class BackupError(Exception):
    """A backup or restore that cannot be done; ``code`` names the locale message."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class BackupResult:
    """What a backup or restore wrote."""

    path: Path
    database_bytes: int
    media_files: int


def sqlite_file(database_url: str) -> Path:
    """The SQLite file of a ``sqlite+aiosqlite:///…`` URL; BackupError for PostgreSQL."""
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite") or not url.database:
        raise BackupError("not-sqlite", url.render_as_string(hide_password=True))
    return Path(url.database)


def _lock_path(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + ".run.lock")


def hold_run_lock(database_url: str) -> IO[bytes] | None:
    """Taken by a running bot (shared): ``restore`` refuses while it is held.  None on PG."""
    try:
        db_file = sqlite_file(database_url)
    except BackupError:
        return None
    db_file.parent.mkdir(parents=True, exist_ok=True)
    handle = open(_lock_path(db_file), "ab")  # noqa: SIM115  (held for the process's life)
    fcntl.flock(handle, fcntl.LOCK_SH)
    return handle


def backup(database_url: str, media_dir: Path, target: Path) -> BackupResult:
    """Write a consistent snapshot of the database and every media file to ``target``."""
    db_file = sqlite_file(database_url)
    if not db_file.exists():
        raise BackupError("no-database", str(db_file))
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        snapshot = Path(tmp) / DB_MEMBER
        source = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
        dest = sqlite3.connect(snapshot)
        try:
            source.backup(dest)
        finally:
            dest.close()
            source.close()
        partial = target.with_name(target.name + ".partial")
        media_files = 0
        with tarfile.open(partial, "w") as tar:
            tar.add(snapshot, arcname=DB_MEMBER)
            if media_dir.is_dir():
                for path in sorted(media_dir.rglob("*")):
                    if path.is_file() and not path.is_symlink():
                        tar.add(path, arcname=MEDIA_PREFIX + path.relative_to(media_dir)
                                .as_posix())
                        media_files += 1
        os.replace(partial, target)  # a crash mid-way never leaves a half file named target
        return BackupResult(target, snapshot.stat().st_size, media_files)


def restore(source: Path, database_url: str, media_dir: Path, *, force: bool = False
            ) -> BackupResult:
    """Put a backup's database and media in place; refuses while a bot runs on the database.

    An existing database is only replaced with ``force`` (it is kept as ``<file>.before-restore``).
    """
    db_file = sqlite_file(database_url)
    if not source.is_file():
        raise BackupError("no-backup", str(source))
    try:
        tar = tarfile.open(source, "r")  # noqa: SIM115  (closed by the with below)
    except (tarfile.TarError, OSError) as exc:
        raise BackupError("bad-backup", str(exc)) from exc
    with tar:
        names = tar.getnames()
        if DB_MEMBER not in names:
            raise BackupError("bad-backup", DB_MEMBER)
        db_file.parent.mkdir(parents=True, exist_ok=True)
        with open(_lock_path(db_file), "ab") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise BackupError("running", str(db_file)) from exc
            if db_file.exists() and not force:
                raise BackupError("exists", str(db_file))
            with tempfile.TemporaryDirectory(dir=db_file.parent) as tmp:
                tar.extract(DB_MEMBER, tmp, filter="data")
                extracted = Path(tmp) / DB_MEMBER
                check = sqlite3.connect(extracted)
                try:
                    if check.execute("pragma integrity_check").fetchone()[0] != "ok":
                        raise BackupError("bad-backup", "integrity_check")
                finally:
                    check.close()
                if db_file.exists():
                    os.replace(db_file, db_file.with_name(db_file.name + ".before-restore"))
                for suffix in ("-wal", "-shm"):
                    stale = db_file.with_name(db_file.name + suffix)
                    if stale.exists():
                        stale.unlink()
                size = extracted.stat().st_size
                os.replace(extracted, db_file)
            media_files = 0
            media_dir.mkdir(parents=True, exist_ok=True)
            for member in tar.getmembers():
                if member.isfile() and member.name.startswith(MEDIA_PREFIX):
                    member.name = member.name.removeprefix(MEDIA_PREFIX)
                    tar.extract(member, media_dir, filter="data")
                    media_files += 1
    return BackupResult(db_file, size, media_files)
