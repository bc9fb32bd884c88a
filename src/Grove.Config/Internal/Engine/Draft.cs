namespace Grove.Config.Internal.Engine;

/// <summary>
/// A publish whose content is UTF-8 already: <see cref="Utf8"/> is the content (checked for size and encoding), and
/// <see cref="PublishRequest.Content"/> of <see cref="Request"/> is not read again.
/// </summary>
internal sealed record Draft(PublishRequest Request, byte[] Utf8);
