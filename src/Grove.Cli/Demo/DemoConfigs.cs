namespace Grove.Cli.Demo;

/// <summary>The sample configs of <c>grove demo</c>, each with the versions it is published in (so history shows).</summary>
internal static class DemoConfigs
{
    /// <summary>The group every demo config is in.</summary>
    public const string Group = "DEMO";

    /// <summary>A config and its versions, oldest first.</summary>
    public sealed record Config(string DataId, string Description, string[] Versions);

    public static IReadOnlyList<Config> All { get; } =
    [
        new("shop.yaml", "The demo shop's settings", [
            """
            shop:
              name: Grove Demo Shop
              currency: EUR
            """,
            """
            shop:
              name: Grove Demo Shop
              currency: EUR
              payment:
                providers: [card, invoice]
            """,
            """
            shop:
              name: Grove Demo Shop
              currency: EUR
              payment:
                providers: [card, invoice, wallet]
                timeout_seconds: 30
            """,
        ]),
        new("app.properties", "Service settings, read by Nacos and Diamond clients", [
            """
            server.port=8080
            cache.ttl.seconds=60
            """,
            """
            server.port=8080
            cache.ttl.seconds=300
            feature.new-checkout=true
            """,
        ]),
        new("features.json", "Feature switches", [
            """
            {"newCheckout": true, "darkMode": false, "betaUsers": ["alice", "bob"]}
            """,
        ]),
    ];
}
