namespace Grove.Logs.Internal;

/// <summary>The live copy of a task was deleted (archived) while an operation ran: the caller retries on the archive.</summary>
internal sealed class LiveTaskGoneException : Exception
{
    public LiveTaskGoneException()
        : base("the live copy of the task is gone")
    {
    }

    public LiveTaskGoneException(string message)
        : base(message)
    {
    }

    public LiveTaskGoneException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
