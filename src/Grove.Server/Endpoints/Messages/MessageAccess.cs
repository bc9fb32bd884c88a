using Grove.Identity;
using Grove.Messages;

namespace Grove.Server.Endpoints.Messages;

/// <summary>
/// Who may do what with messages: a caller acts for partner P when it is an admin, its user is P, or it belongs to
/// the group <c>partner-P</c> (a partner's system authenticates with its user's API key); acting for P allows sending
/// P's messages and reading them. Members of the readers group (<c>messages</c>) read every partner's messages.
/// </summary>
internal static class MessageAccess
{
    public static bool ActsFor(Principal p, string partner, MessageServerOptions o) =>
        p.IsAdmin || p.User == partner || p.Groups.Contains(o.PartnerGroupPrefix + partner, StringComparer.Ordinal);

    public static void RequireSend(Principal p, string partner, MessageServerOptions o)
    {
        if (!ActsFor(p, partner, o))
        {
            throw new MessageException(MessageErrorCode.Forbidden, $"'{p.User}' does not act for partner '{partner}'");
        }
    }

    public static bool ReadsAll(Principal p, MessageServerOptions o) =>
        p.IsAdmin || p.Groups.Contains(o.ReadersGroup, StringComparer.Ordinal);

    /// <summary>The partner a query is confined to: any (as asked) for readers of all, else one the caller acts for.</summary>
    public static string? RequireRead(Principal p, string? partner, MessageServerOptions o)
    {
        if (ReadsAll(p, o))
        {
            return partner;
        }

        if (partner is null)
        {
            throw new MessageException(MessageErrorCode.Forbidden, $"name the partner you act for (partner=…), or join the group '{o.ReadersGroup}'");
        }

        RequireSend(p, partner, o);
        return partner;
    }

    public static void RequireRead(Principal p, MessageSummary m, MessageServerOptions o)
    {
        if (!ReadsAll(p, o) && !ActsFor(p, m.Partner, o))
        {
            // Note that another partner's message is answered as missing, so ids reveal nothing.
            throw new MessageException(MessageErrorCode.NotFound, $"no message {m.Id}");
        }
    }
}
