namespace Grove.Tree;

/// <summary>A failure of a tree operation, with a stable <see cref="GroveException.Code"/> from <see cref="TreeErrorCode"/>.</summary>
public sealed class TreeException : GroveException
{
    /// <summary>Creates the exception.</summary>
    public TreeException(string code, string message, Exception? inner = null)
        : base(code, message, inner)
    {
    }

    /// <inheritdoc/>
    public override int Status => Code switch
    {
        TreeErrorCode.NotFound => 404,
        TreeErrorCode.AlreadyExists or TreeErrorCode.Conflict or TreeErrorCode.NotEmpty
            or TreeErrorCode.HandleBusy or TreeErrorCode.HandleLost or TreeErrorCode.LockTimeout => 409,
        TreeErrorCode.MountUnsupported or TreeErrorCode.NotSupported => 501,
        TreeErrorCode.StoreLocked or TreeErrorCode.StorageUnavailable => 503,
        TreeErrorCode.StorageRefused => 502,
        TreeErrorCode.ContentTooLarge => 413,
        _ => 400,
    };

    /// <summary>A <c>not_found</c> error naming what was looked for.</summary>
    public static TreeException NotFound(string what) => new(TreeErrorCode.NotFound, $"not found: {what}");

    /// <summary>An <c>already_exists</c> error naming what is taken.</summary>
    public static TreeException Exists(string what) => new(TreeErrorCode.AlreadyExists, $"already exists: {what}");
}
