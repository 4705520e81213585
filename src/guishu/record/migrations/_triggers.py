"""The append-only triggers' SQL, shared by the migration and the test-only flush."""

SQLITE = [
    "CREATE TRIGGER record_entry_no_update BEFORE UPDATE ON record_entry "
    "BEGIN SELECT RAISE(ABORT, 'record_entry is append-only'); END;",
    "CREATE TRIGGER record_entry_no_delete BEFORE DELETE ON record_entry "
    "BEGIN SELECT RAISE(ABORT, 'record_entry is append-only'); END;",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS record_entry_no_update;", "DROP TRIGGER IF EXISTS record_entry_no_delete;"]

POSTGRES = [
    "CREATE OR REPLACE FUNCTION record_entry_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'record_entry is append-only'; END; $$ LANGUAGE plpgsql;",
    "CREATE TRIGGER record_entry_no_change BEFORE UPDATE OR DELETE ON record_entry "
    "FOR EACH ROW EXECUTE FUNCTION record_entry_append_only();",
    "CREATE TRIGGER record_entry_no_truncate BEFORE TRUNCATE ON record_entry "
    "FOR EACH STATEMENT EXECUTE FUNCTION record_entry_append_only();",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS record_entry_no_change ON record_entry;",
    "DROP TRIGGER IF EXISTS record_entry_no_truncate ON record_entry;",
]


def statements(vendor: str, *, drop: bool) -> list[str]:
    if vendor == "postgresql":
        return POSTGRES_DROP if drop else POSTGRES
    return SQLITE_DROP if drop else SQLITE
