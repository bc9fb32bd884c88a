namespace Grove.Server.Internal.Config;

/// <summary>Namespaces as clients name them: Nacos clients may send <c>public</c> for the default one (empty).</summary>
internal static class Tenants
{
    public static bool IsPublic(string? tenant) => string.IsNullOrWhiteSpace(tenant) || tenant.Trim() == "public";

    /// <summary>The engine's tenant: empty for none or <c>public</c>, else the value as given.</summary>
    public static string Normalize(string? tenant) => IsPublic(tenant) ? "" : tenant!.Trim();
}
