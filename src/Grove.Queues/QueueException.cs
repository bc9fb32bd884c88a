namespace Grove.Queues;

/// <summary>A queue operation refused: a stable <see cref="GroveException.Code"/> from <see cref="QueueErrorCode"/>.</summary>
public sealed class QueueException : GroveException
{
    /// <summary>Creates the exception.</summary>
    public QueueException(string code, string message, Exception? inner = null)
        : base(code, message, inner)
    {
    }

    /// <inheritdoc/>
    public override int Status => Code switch
    {
        QueueErrorCode.NotAQueue => 404,
        QueueErrorCode.ReceiptStale => 409,
        _ => 400,
    };
}

/// <summary>The codes of <see cref="QueueException"/>.</summary>
public static class QueueErrorCode
{
    /// <summary>The path is not a directory with an <c>mq</c> mount.</summary>
    public const string NotAQueue = "not_a_queue";

    /// <summary>The receipt is malformed or belongs to no message of this queue (another queue's, or made up).</summary>
    public const string ReceiptInvalid = "receipt_invalid";

    /// <summary>The receipt was valid once: its visibility time-out passed, or the message was claimed again or is gone.</summary>
    public const string ReceiptStale = "receipt_stale";

    /// <summary>An argument out of its range (how many messages one claim or ack takes).</summary>
    public const string InvalidArgument = "invalid_argument";
}
