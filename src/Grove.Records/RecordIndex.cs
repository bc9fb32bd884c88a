namespace Grove.Records;

/// <summary>An index of a record set's tables (seed 003's <c>indexes[]</c> entry).</summary>
/// <param name="Name">The index's name, unique in the mapping.</param>
/// <param name="Unique">Whether it is a unique index.</param>
/// <param name="Fields">The indexed field names, in order.</param>
public sealed record RecordIndex(string Name, bool Unique, IReadOnlyList<string> Fields);
