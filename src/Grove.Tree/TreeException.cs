namespace Grove.Tree;

/// <summary>A failure of a tree operation, with a stable <see cref="Code"/> from <see cref="TreeErrorCode"/>.</summary>
public sealed class TreeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TreeException(string code, string message, Exception? inner = null)
        : base(message, inner) => Code = code;

    /// <summary>The stable error code, one of <see cref="TreeErrorCode"/>.</summary>
    public string Code { get; }

    /// <summary>A <c>not_found</c> error naming what was looked for.</summary>
    public static TreeException NotFound(string what) => new(TreeErrorCode.NotFound, $"not found: {what}");

    /// <summary>An <c>already_exists</c> error naming what is taken.</summary>
    public static TreeException Exists(string what) => new(TreeErrorCode.AlreadyExists, $"already exists: {what}");
}
