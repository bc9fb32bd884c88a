using System.Collections.Concurrent;
using Grove.Config;
using Grove.Messages.Internal.Storage;

namespace Grove.Messages.Internal;

/// <summary>
/// The mappings, read from the config center's memory (group <c>GROVE_MESSAGES</c>) and parsed once per revision.
/// A publish reaches it at once through <see cref="ConfigEngine.Changed"/> (other nodes' publishes arrive the same way,
/// through the config center's own sync). A mapping is kept in the store the first time a message uses its revision, so
/// a message is always shown with the revision it was mapped with, whatever the config center's history keeps.
/// </summary>
internal sealed class MappingSource : IDisposable
{
    private readonly ConfigEngine _config;
    private readonly IMessageStore _store;
    private readonly string _tenant;
    private readonly ConcurrentDictionary<(string Partner, string Type, long Revision), MessageMapping> _parsed = new();
    private readonly ConcurrentDictionary<(string Partner, string Type, long Revision), Task> _saved = new();
    private readonly ConcurrentDictionary<string, MessageException> _problems = new(StringComparer.Ordinal);
    private readonly IDisposable _validator;

    public MappingSource(ConfigEngine config, IMessageStore store, string tenant)
    {
        _config = config;
        _store = store;
        _tenant = tenant;
        _config.Changed += OnChanged;
        _validator = config.AddValidator(MessageMapping.ConfigGroup, new Validator(tenant));
    }

    /// <summary>Refuses, at publish, a mapping that does not parse (every problem named) or a dataId that is not <c>partner.type</c>.</summary>
    private sealed class Validator(string tenant) : IConfigValidator
    {
        public void Validate(ConfigKey key, string content)
        {
            if (key.Tenant != tenant)
            {
                return;
            }

            var dot = key.DataId.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0)
            {
                throw MessageException.Invalid($"a mapping's dataId is <partner>.<type>, not '{key.DataId}'");
            }

            MessageMapping.Parse(key.DataId[..dot], key.DataId[(dot + 1)..], content);
        }
    }

    /// <summary>Published mappings that do not parse, by dataId (validated as they arrive; the config center has no hook to refuse them).</summary>
    public IReadOnlyDictionary<string, MessageException> Problems => _problems;

    /// <summary>Raised when a mapping publish reaches this node, valid or not.</summary>
    public event Action<string, long, MessageException?>? MappingChanged;

    /// <summary>The mapping in force now, kept in the store; <c>unknown_mapping</c> or <c>invalid_mapping</c> when none is usable.</summary>
    public async Task<MessageMapping> CurrentAsync(string partner, string type, CancellationToken ct)
    {
        MessageNames.CheckPartnerAndType(partner, type);
        var item = _config.Get(ConfigKey.Create(MessageMapping.DataId(partner, type), MessageMapping.ConfigGroup, _tenant))
            ?? throw new MessageException(MessageErrorCode.UnknownMapping, $"no mapping is published for partner '{partner}' and type '{type}' (config {MessageMapping.ConfigGroup}/{MessageMapping.DataId(partner, type)})");
        var mapping = Parse(partner, type, item.Content, item.Revision);
        await _saved.GetOrAdd((partner, type, item.Revision), k => _store.SaveMappingAsync(k.Partner, k.Type, k.Revision, item.Content, CancellationToken.None)).WaitAsync(ct);
        return mapping;
    }

    /// <summary>The mapping at <paramref name="revision"/>: from memory, else as kept in the store.</summary>
    public async Task<MessageMapping> AtAsync(string partner, string type, long revision, CancellationToken ct)
    {
        if (_parsed.TryGetValue((partner, type, revision), out var m))
        {
            return m;
        }

        var content = await _store.GetMappingAsync(partner, type, revision, ct)
            ?? throw new MessageException(MessageErrorCode.UnknownMapping, $"mapping {MessageMapping.DataId(partner, type)} revision {revision} is not kept");
        return Parse(partner, type, content, revision);
    }

    /// <summary>The current mapping if one is published, else null (no store write).</summary>
    public MessageMapping? TryCurrent(string partner, string type)
    {
        var item = _config.Get(ConfigKey.Create(MessageMapping.DataId(partner, type), MessageMapping.ConfigGroup, _tenant));
        if (item is null)
        {
            return null;
        }

        try
        {
            return Parse(partner, type, item.Content, item.Revision);
        }
        catch (MessageException)
        {
            return null;
        }
    }

    private MessageMapping Parse(string partner, string type, string content, long revision)
    {
        if (_parsed.TryGetValue((partner, type, revision), out var m))
        {
            return m;
        }

        m = MessageMapping.Parse(partner, type, content, revision);
        _parsed[(partner, type, revision)] = m;
        return m;
    }

    private void OnChanged(ConfigChange change)
    {
        if (change.Key.Group != MessageMapping.ConfigGroup || change.Key.Tenant != _tenant)
        {
            return;
        }

        var dataId = change.Key.DataId;
        var dot = dataId.IndexOf('.', StringComparison.Ordinal);
        var item = _config.Get(change.Key);
        if (dot <= 0 || item is null)
        {
            _problems.TryRemove(dataId, out _);
            MappingChanged?.Invoke(dataId, change.Revision, null);
            return;
        }

        try
        {
            // Note that parsing here makes a bad publish known at once (Problems, the event) rather than at the next message.
            Parse(dataId[..dot], dataId[(dot + 1)..], item.Content, item.Revision);
            _problems.TryRemove(dataId, out _);
            MappingChanged?.Invoke(dataId, item.Revision, null);
        }
        catch (MessageException e)
        {
            _problems[dataId] = e;
            MappingChanged?.Invoke(dataId, item.Revision, e);
        }
    }

    public void Dispose()
    {
        _config.Changed -= OnChanged;
        _validator.Dispose();
    }
}
