namespace Grove.Tree.Internal.Sql;

/// <summary>SQL text with its parameters, ready to bind and run.</summary>
/// <param name="Text">The SQL; values appear only as placeholders.</param>
/// <param name="Parameters">The parameters the placeholders name.</param>
internal sealed record SqlStatement(string Text, IReadOnlyList<SqlParam> Parameters);
