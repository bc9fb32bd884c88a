namespace Grove.Client.Internal;

/// <summary>The wire names of <see cref="GroveLogStatus"/>.</summary>
internal static class GroveLogStatusNames
{
    public static string Name(GroveLogStatus status) => status.ToString().ToLowerInvariant();

    public static GroveLogStatus Parse(string? name) =>
        Enum.TryParse<GroveLogStatus>(name, ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : GroveLogStatus.Running;
}
