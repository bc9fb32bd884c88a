namespace Grove.Server.Internal;

/// <summary>An error raised by the HTTP layer itself (bad parameter, body too large…), with a stable code.</summary>
internal sealed class ServerException(string code, string message) : GroveException(code, message)
{
    public override int Status => ErrorMap.Status(Code);

    public static ServerException Bad(string message) => new(ErrorMap.BadRequest, message);
}
