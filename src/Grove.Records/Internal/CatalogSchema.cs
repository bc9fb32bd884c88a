using Grove.Tree.Storage;

namespace Grove.Records.Internal;

/// <summary>The engine's own tables: the record set definitions and the physical tables of each set.</summary>
internal static class CatalogSchema
{
    public static readonly IReadOnlyList<SchemaMigration> Migrations =
    [
        SchemaMigration.Sql(1, "record sets and their tables", """
            CREATE TABLE IF NOT EXISTS grove_record_sets (
                name TEXT NOT NULL PRIMARY KEY,
                mapping TEXT NOT NULL,
                revision BIGINT NOT NULL,
                updated BIGINT NOT NULL);
            CREATE TABLE IF NOT EXISTS grove_record_tables (
                set_name TEXT NOT NULL,
                table_name TEXT NOT NULL,
                kind TEXT NOT NULL,
                seq INTEGER NOT NULL,
                moved BIGINT NOT NULL,
                created BIGINT NOT NULL,
                PRIMARY KEY (set_name, table_name));
            CREATE UNIQUE INDEX IF NOT EXISTS grove_record_tables_name ON grove_record_tables (table_name)
            """),
        SchemaMigration.Sql(2, "reference counts of content held by dao-mounted rows", """
            CREATE TABLE IF NOT EXISTS grove_record_blobs (
                bucket TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                len BIGINT NOT NULL,
                refs BIGINT NOT NULL,
                zero_since BIGINT NULL,
                PRIMARY KEY (bucket, sha256));
            CREATE INDEX IF NOT EXISTS grove_record_blobs_zero ON grove_record_blobs (zero_since)
            """),
        new SchemaMigration(3, "the key range each history table may hold", KeyRangeMigration.ApplyAsync),
    ];
}
