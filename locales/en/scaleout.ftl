# villagebot copy-data (move the data to another database)
copydata-table = { $table }: { $rows } rows
copydata-done = Copied { $total } rows of { $tables } tables to { $target }.
copydata-error-target-not-empty = The target database already holds data (tables: { $table }). Add --force to empty it and copy again.
copydata-error-same-database = The source and the target are the same database; nothing copied.
copydata-error-bad-url = Not a database address ({ $detail }); example: postgresql+asyncpg://villagebot@localhost/villagebot
copydata-error-row-rejected = Table { $table }: a row was refused ({ $detail }). Nothing was copied.
