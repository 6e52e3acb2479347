backup-done = Backed up the database ({ $bytes } bytes) and { $media } media files to { $path }.
restore-done = Restored the database ({ $bytes } bytes) and { $media } media files to { $path }. The bot can be started again.
backup-error-not-sqlite = This command is for SQLite only. For PostgreSQL use pg_dump / pg_restore (see docs/deploy.md).
backup-error-no-database = The database file { $detail } does not exist.
backup-error-no-backup = The backup file { $detail } does not exist.
backup-error-bad-backup = The backup file is not valid or is damaged ({ $detail }).
backup-error-running = A bot is running on the database { $detail }: stop it before restoring.
backup-error-exists = The database { $detail } already exists. Add --force to replace it (the old one is kept with the suffix .before-restore).
