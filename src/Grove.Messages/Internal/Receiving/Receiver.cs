using Grove.Messages.Internal.Storage;

namespace Grove.Messages.Internal.Receiving;

/// <summary>Receiving: a resend check, parse, validate and map, store once.</summary>
internal sealed class Receiver(IMessageStore store, MappingSource mappings, MessageOptions options)
{
    private const int MaxSourceIdLength = 256;

    public async Task<ReceiveResult> ReceiveAsync(ReceiveRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        MessageNames.CheckPartnerAndType(request.Partner, request.Type);
        if (request.Body.Length > options.MaxBodyBytes)
        {
            throw new MessageException(MessageErrorCode.TooLarge, $"the body is {request.Body.Length} bytes, over the limit of {options.MaxBodyBytes}") { Limit = options.MaxBodyBytes };
        }

        var mapping = await mappings.CurrentAsync(request.Partner, request.Type, ct);
        var given = Check(request.SourceId ?? request.IdempotencyKey);
        // Note that a resend is found by the insert (a conflict on the source id returns the first row), not by a look-up
        // before every message: most messages are first sends, and the look-up cost each one a query.
        MappedDocument mapped;
        try
        {
            mapped = MappedWriter.Map(mapping, request.Body);
        }
        catch (MessageException) when (given is not null)
        {
            // Note that a resend answers with the first message even when its body no longer maps (the mapping changed since).
            if (await store.FindAsync(request.Partner, given, false, ct) is { } first)
            {
                return Result(first, duplicate: true);
            }

            throw;
        }

        var sourceId = given ?? Check(mapped.SourceId);
        var message = new NewMessage(
            request.Partner,
            request.Type,
            options.Time.GetUtcNow().ToUnixTimeMilliseconds(),
            sourceId,
            mapping.Revision,
            mapped.Keys,
            mapped.Document,
            BodyCodec.Compress(request.Body.Span),
            mapping.Format);
        var stored = await store.InsertAsync(message, ct);
        return Result(stored, stored.Existing);
    }

    private static string? Check(string? sourceId) => sourceId switch
    {
        null or "" => null,
        { Length: > MaxSourceIdLength } => throw MessageException.Invalid($"a source id has at most {MaxSourceIdLength} characters"),
        _ when sourceId.Any(char.IsControl) => throw MessageException.Invalid("a source id has no control characters"),
        _ => sourceId,
    };

    private static ReceiveResult Result(StoredMessage m, bool duplicate) =>
        new(m.Id, m.Partner, m.Type, m.SourceId, m.Revision, DateTimeOffset.FromUnixTimeMilliseconds(m.ReceivedMs), duplicate);
}
