namespace Grove.Client;

/// <summary>What an import does with configs that already exist.</summary>
public enum GroveConfigImportPolicy
{
    /// <summary>Import nothing when any exists (<c>conflict</c> naming them).</summary>
    Abort,

    /// <summary>Keep existing configs, import the others.</summary>
    Skip,

    /// <summary>Replace existing configs.</summary>
    Overwrite,
}
