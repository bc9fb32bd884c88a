using System.Text;
using Npgsql;

namespace Grove.Tree.Internal.Postgres;

internal sealed partial class PostgresIndexer
{
    /// <summary>The bus topic of row changes: comma-separated row ids, or <c>*</c> for "anything may have changed".</summary>
    internal const string Topic = "tree";

    // Past this, a notice says "everything" instead of listing ids (the bus caps payloads).
    private const int MaxPayload = BusLimits.MaxPayloadBytes - 100;

    /// <summary>The bus the indexer announces its changes on; set by the store once the listener is live.</summary>
    internal PostgresBus? Bus { get; set; }

    /// <summary>
    /// The notice of a change set, sent inside its own transaction: PostgreSQL delivers notifications only when the
    /// transaction commits, so no node ever hears of a change that did not happen. Null when nothing cached changed.
    /// </summary>
    private NpgsqlBatchCommand? NoticeOf(ChangeSet changes)
    {
        if (Bus is null || (!changes.Structural && changes.Updates.Count == 0 && changes.Deletes.Count == 0 && changes.UnreadDeletes.Count == 0))
        {
            return null;
        }

        var text = new StringBuilder();
        if (changes.Structural)
        {
            text.Append('*');
        }
        else
        {
            foreach (var id in changes.Updates.Select(u => u.Row.Id).Concat(changes.Deletes.Select(d => d.Id)).Concat(changes.UnreadDeletes.Select(d => d.Id)).Where(id => !changes.Unannounced.Contains(id)))
            {
                text.Append(text.Length == 0 ? "" : ",").Append(id);
                if (text.Length > MaxPayload)
                {
                    text.Clear().Append('*');
                    break;
                }
            }
        }

        return text.Length == 0 ? null : Bus.NotifyCommand(Topic, text.ToString());
    }
}
