using System.Runtime.CompilerServices;
using Grove.Tree.Storage;

namespace Grove.Records.Internal;

/// <summary>
/// The records engine open on each database in this process, so a <c>dao</c> mount uses the same engine (and hot
/// cache) as the records API rather than a second one that would not hear the first one's changes.
/// </summary>
internal static class OpenServices
{
    private static readonly ConditionalWeakTable<EngineStorage, RecordService> Open = [];

    public static void Register(RecordService service) => Open.AddOrUpdate(service.Engines, service);

    public static void Unregister(RecordService service)
    {
        if (Open.TryGetValue(service.Engines, out var current) && ReferenceEquals(current, service))
        {
            Open.Remove(service.Engines);
        }
    }

    public static RecordService? For(EngineStorage engines) => Open.TryGetValue(engines, out var s) ? s : null;
}
