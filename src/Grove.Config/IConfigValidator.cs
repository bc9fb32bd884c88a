namespace Grove.Config;

/// <summary>
/// Checks the content of one group's configs before it is published (also in batches, imports and gray releases),
/// so that a service module can refuse configs it could not use: a refused publish changes nothing. Register one
/// with <see cref="ConfigEngine.AddValidator"/>.
/// </summary>
public interface IConfigValidator
{
    /// <summary>Throws a <see cref="GroveException"/> (its code and status become the publish's answer) when <paramref name="content"/> is not usable as <paramref name="key"/>.</summary>
    void Validate(ConfigKey key, string content);
}
