namespace Grove.Cli.Remote;

/// <summary>Passwords for the remote verbs: from an environment variable, else a hidden prompt on the terminal.</summary>
internal static class Secrets
{
    /// <summary>The value of <paramref name="variable"/>, else what the user types at <paramref name="prompt"/>.</summary>
    public static string Read(CliHost host, string variable, string prompt)
    {
        if (host.Environment(variable) is { Length: > 0 } value)
        {
            return value;
        }

        var typed = host.ReadSecret is { } read
            ? read(prompt)
            : throw CliException.Usage($"no terminal to ask for the password on; set {variable}");
        return string.IsNullOrEmpty(typed) ? throw CliException.Usage("no password given") : typed;
    }

    /// <summary>A new password: from <paramref name="variable"/>, else typed twice on the terminal.</summary>
    public static string ReadNew(CliHost host, string variable, string prompt)
    {
        var first = Read(host, variable, prompt);
        if (host.Environment(variable) is { Length: > 0 })
        {
            return first;
        }

        var again = Read(host, variable, "Again: ");
        return again == first ? first : throw CliException.Usage("the two passwords differ");
    }
}
