namespace Grove.Tree;

/// <summary>A failure of a tree operation, with a stable <see cref="Code"/> from <see cref="TreeErrorCode"/>.</summary>
public sealed class TreeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TreeException(string code, string message, Exception? inner = null)
        : base(message, inner) => Code = code;

    /// <summary>The stable error code, one of <see cref="TreeErrorCode"/>.</summary>
    public string Code { get; }

    internal static TreeException NotFound(string what) => new(TreeErrorCode.NotFound, $"not found: {what}");

    internal static TreeException Exists(string what) => new(TreeErrorCode.AlreadyExists, $"already exists: {what}");
}
