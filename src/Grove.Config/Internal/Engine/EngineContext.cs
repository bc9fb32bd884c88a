using Grove.Identity;

namespace Grove.Config.Internal.Engine;

/// <summary>What the engine's operations share: its options, what is served, the store link, the write queue and the publisher.</summary>
internal sealed class EngineContext(ConfigOptions options, ServedState served, StoreLink store, WriteQueue queue)
{
    public ConfigOptions Options { get; } = options;

    public Validators Validators { get; } = new();

    public ServedState Served { get; } = served;

    public StoreLink Store { get; } = store;

    public WriteQueue Queue { get; } = queue;

    public SecretBox Box => Served.Box;

    public Publisher Publisher { get; set; } = null!;

    /// <summary>Config edits are for admins and the editor group (an engine called without an actor acts for the system).</summary>
    public void Authorize(Principal? actor, string what)
    {
        if (actor is null || actor.IsAdmin || actor.Groups.Contains(Options.EditorGroup, StringComparer.Ordinal))
        {
            return;
        }

        throw new ConfigException(ConfigErrorCode.Forbidden, $"'{actor.User}' may not {what}: only admins and members of the group '{Options.EditorGroup}' may");
    }
}
