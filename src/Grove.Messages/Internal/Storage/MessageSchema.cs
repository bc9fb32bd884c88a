using Grove.Tree.Storage;

namespace Grove.Messages.Internal.Storage;

/// <summary>
/// The engine's own tables: versions 1 and 2 created the message and mapping tables, which version 3 hands to the
/// records engine (<see cref="MessageSets"/>); the migration ledger (runs, range checkpoints) stays here.
/// </summary>
internal static class MessageSchema
{
    public const string Engine = "messages";

    private const string Sqlite = """
        CREATE TABLE IF NOT EXISTS grove_msg_messages (
            id INTEGER PRIMARY KEY,
            partner TEXT NOT NULL,
            type TEXT NOT NULL,
            received INTEGER NOT NULL,
            source_id TEXT NULL,
            rev INTEGER NOT NULL,
            k1 TEXT NULL, k2 TEXT NULL, k3 TEXT NULL, k4 TEXT NULL,
            fmt INTEGER NOT NULL,
            doc TEXT NOT NULL,
            body BLOB NOT NULL);
        CREATE UNIQUE INDEX IF NOT EXISTS grove_msg_source ON grove_msg_messages (partner, source_id) WHERE source_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS grove_msg_type ON grove_msg_messages (partner, type, id);
        CREATE INDEX IF NOT EXISTS grove_msg_received ON grove_msg_messages (received, id);
        CREATE INDEX IF NOT EXISTS grove_msg_k1 ON grove_msg_messages (k1) WHERE k1 IS NOT NULL;
        CREATE INDEX IF NOT EXISTS grove_msg_k2 ON grove_msg_messages (k2) WHERE k2 IS NOT NULL;
        CREATE INDEX IF NOT EXISTS grove_msg_k3 ON grove_msg_messages (k3) WHERE k3 IS NOT NULL;
        CREATE INDEX IF NOT EXISTS grove_msg_k4 ON grove_msg_messages (k4) WHERE k4 IS NOT NULL;
        CREATE TABLE IF NOT EXISTS grove_msg_mappings (
            partner TEXT NOT NULL,
            type TEXT NOT NULL,
            rev INTEGER NOT NULL,
            content TEXT NOT NULL,
            PRIMARY KEY (partner, type, rev));
        """;

    private const string Postgres = """
        CREATE TABLE IF NOT EXISTS grove_msg_messages (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            partner text COLLATE "C" NOT NULL,
            type text COLLATE "C" NOT NULL,
            received bigint NOT NULL,
            source_id text COLLATE "C" NULL,
            rev bigint NOT NULL,
            k1 text COLLATE "C" NULL, k2 text COLLATE "C" NULL, k3 text COLLATE "C" NULL, k4 text COLLATE "C" NULL,
            fmt smallint NOT NULL,
            doc jsonb NOT NULL,
            body bytea NOT NULL);
        CREATE UNIQUE INDEX IF NOT EXISTS grove_msg_source ON grove_msg_messages (partner, source_id) WHERE source_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS grove_msg_type ON grove_msg_messages (partner, type, id);
        CREATE INDEX IF NOT EXISTS grove_msg_received ON grove_msg_messages (received, id);
        CREATE INDEX IF NOT EXISTS grove_msg_k1 ON grove_msg_messages (k1) WHERE k1 IS NOT NULL;
        CREATE INDEX IF NOT EXISTS grove_msg_k2 ON grove_msg_messages (k2) WHERE k2 IS NOT NULL;
        CREATE INDEX IF NOT EXISTS grove_msg_k3 ON grove_msg_messages (k3) WHERE k3 IS NOT NULL;
        CREATE INDEX IF NOT EXISTS grove_msg_k4 ON grove_msg_messages (k4) WHERE k4 IS NOT NULL;
        CREATE TABLE IF NOT EXISTS grove_msg_mappings (
            partner text COLLATE "C" NOT NULL,
            type text COLLATE "C" NOT NULL,
            rev bigint NOT NULL,
            content text NOT NULL,
            PRIMARY KEY (partner, type, rev));
        """;

    private const string MigrationsSqlite = """
        ALTER TABLE grove_msg_messages ADD COLUMN origin TEXT NULL;
        CREATE INDEX IF NOT EXISTS grove_msg_origin ON grove_msg_messages (origin) WHERE origin IS NOT NULL;
        CREATE TABLE IF NOT EXISTS grove_msg_migrations (
            run TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            lo INTEGER NOT NULL,
            hi INTEGER NOT NULL,
            range_size INTEGER NOT NULL,
            started INTEGER NOT NULL,
            finished INTEGER NULL);
        CREATE TABLE IF NOT EXISTS grove_msg_migration_ranges (
            run TEXT NOT NULL,
            k INTEGER NOT NULL,
            rows INTEGER NOT NULL,
            messages INTEGER NOT NULL,
            stored INTEGER NOT NULL,
            unmapped INTEGER NOT NULL,
            unconverted INTEGER NOT NULL,
            missing INTEGER NOT NULL,
            filled INTEGER NOT NULL,
            PRIMARY KEY (run, k));
        """;

    private const string MigrationsPostgres = """
        ALTER TABLE grove_msg_messages ADD COLUMN IF NOT EXISTS origin text COLLATE "C" NULL;
        CREATE INDEX IF NOT EXISTS grove_msg_origin ON grove_msg_messages (origin) WHERE origin IS NOT NULL;
        CREATE TABLE IF NOT EXISTS grove_msg_migrations (
            run text COLLATE "C" PRIMARY KEY,
            source text NOT NULL,
            lo bigint NOT NULL,
            hi bigint NOT NULL,
            range_size bigint NOT NULL,
            started bigint NOT NULL,
            finished bigint NULL);
        CREATE TABLE IF NOT EXISTS grove_msg_migration_ranges (
            run text COLLATE "C" NOT NULL,
            k bigint NOT NULL,
            rows bigint NOT NULL,
            messages bigint NOT NULL,
            stored bigint NOT NULL,
            unmapped bigint NOT NULL,
            unconverted bigint NOT NULL,
            missing bigint NOT NULL,
            filled bigint NOT NULL,
            PRIMARY KEY (run, k));
        """;

    // Note that the records engine creates the indexes of its mapping (MessageSets) under its own names.
    private const string DropOwnIndexes = """
        DROP INDEX IF EXISTS grove_msg_source;
        DROP INDEX IF EXISTS grove_msg_type;
        DROP INDEX IF EXISTS grove_msg_received;
        DROP INDEX IF EXISTS grove_msg_k1;
        DROP INDEX IF EXISTS grove_msg_k2;
        DROP INDEX IF EXISTS grove_msg_k3;
        DROP INDEX IF EXISTS grove_msg_k4;
        DROP INDEX IF EXISTS grove_msg_origin;
        """;

    private const string DocToBytesPostgres = "ALTER TABLE grove_msg_messages ALTER COLUMN doc TYPE bytea USING convert_to(doc::text, 'UTF8');";

    public static IReadOnlyList<SchemaMigration> For(SqlFlavor flavor) =>
    [
        SchemaMigration.Sql(1, "messages and the mapping revisions they were mapped with", flavor == SqlFlavor.Sqlite ? Sqlite : Postgres),
        SchemaMigration.Sql(2, "migrations from row-per-field tables: each message's origin, runs and range checkpoints", flavor == SqlFlavor.Sqlite ? MigrationsSqlite : MigrationsPostgres),
        SchemaMigration.Sql(3, "messages and mappings become record sets of the records engine (its indexes; documents as bytes)", flavor == SqlFlavor.Sqlite ? DropOwnIndexes : DropOwnIndexes + DocToBytesPostgres),
    ];

    /// <summary>The text a business key is indexed as: its name and value, so one column serves any key name.</summary>
    public static string KeyTerm(string name, string value) => name + "\u001f" + value;
}
