namespace Grove.Config.Internal;

/// <summary>
/// What the engine serves for one key: the released config and the beta, each with the revision of its last
/// change. A part that was removed stays as a tombstone (null with its revision), so an older state read from the
/// store a moment earlier can never bring it back.
/// </summary>
internal sealed record Entry
{
    public required ConfigKey Key { get; init; }

    public ConfigItem? Main { get; init; }

    /// <summary>The stored body of <see cref="Main"/> (the sealed envelope of a secret), as the dump writes it.</summary>
    public byte[]? MainBody { get; init; }

    public long MainRev { get; init; }

    public ConfigBeta? Beta { get; init; }

    public byte[]? BetaBody { get; init; }

    public long BetaRev { get; init; }

    /// <summary>What a client matching the beta gets: the config's metadata with the beta's content.</summary>
    public ConfigItem? BetaView { get; init; }

    public bool IsTombstone => Main is null && Beta is null;

    public long Rev => Math.Max(MainRev, BetaRev);

    /// <summary>The item a client gets.</summary>
    public ConfigItem? For(ConfigClient? client) => Beta is not null && BetaView is not null && Beta.Matches(client) ? BetaView : Main;

    public Entry WithViews()
    {
        if (Beta is null)
        {
            return BetaView is null ? this : this with { BetaView = null };
        }

        var utf8 = Beta.Utf8;
        var view = Main is { } m
            ? m with { Utf8 = utf8, Md5 = Beta.Md5, IsBeta = true, Revision = Beta.Revision, ModifiedAt = Beta.ModifiedAt, ModifiedBy = Beta.ModifiedBy }
            : new ConfigItem
            {
                Key = Key,
                Utf8 = utf8,
                Md5 = Beta.Md5,
                Type = ConfigTypes.FromDataId(Key.DataId),
                Revision = Beta.Revision,
                CreatedAt = Beta.ModifiedAt,
                ModifiedAt = Beta.ModifiedAt,
                CreatedBy = Beta.ModifiedBy,
                ModifiedBy = Beta.ModifiedBy,
                IsBeta = true,
            };
        return this with { BetaView = view };
    }
}
