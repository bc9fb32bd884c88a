using System.Runtime.Serialization;
using System.ServiceModel;
using System.Text;
using Grove.Messages;
using Grove.Server.Internal;
using Microsoft.AspNetCore.Http;

namespace Grove.Server.Endpoints.Messages;

/// <summary>The SOAP 1.1 face of receiving, for partners whose systems call web services (WSDL at <c>/api/v1/messages/soap?wsdl</c>).</summary>
[ServiceContract(Namespace = MessageSoapService.Namespace, Name = "GroveMessages")]
public interface IMessageSoapService
{
    /// <summary>Receives one message: the body (JSON or XML text as the mapping says) of a partner's type.</summary>
    [OperationContract]
    Task<SoapReceipt> Send(string partner, string type, string body, string? sourceId);
}

/// <summary>The answer to a SOAP send (the same for a resend).</summary>
[DataContract(Namespace = MessageSoapService.Namespace)]
public sealed class SoapReceipt
{
    /// <summary>The message's id.</summary>
    [DataMember(Order = 1)]
    public long Id { get; set; }

    /// <summary>The partner's id of the message.</summary>
    [DataMember(Order = 2)]
    public string? SourceId { get; set; }

    /// <summary>The mapping revision it was mapped with.</summary>
    [DataMember(Order = 3)]
    public long Revision { get; set; }

    /// <summary>True when this was a resend and nothing was stored.</summary>
    [DataMember(Order = 4)]
    public bool Duplicate { get; set; }
}

/// <summary>Receives over SOAP with the same rules as <c>POST /api/v1/messages/{partner}/{type}</c> (the caller's API key acts for the partner).</summary>
internal sealed class MessageSoapService(IHttpContextAccessor http, MessageEngine engine, GroveServerOptions options) : IMessageSoapService
{
    public const string Namespace = "urn:grove:messages";

    public async Task<SoapReceipt> Send(string partner, string type, string body, string? sourceId)
    {
        var ctx = http.HttpContext ?? throw new InvalidOperationException("no request");
        try
        {
            MessageAccess.RequireSend(ctx.Caller(), partner, options.Messages);
            var r = await engine.ReceiveAsync(new ReceiveRequest { Partner = partner, Type = type, Body = Encoding.UTF8.GetBytes(body ?? ""), SourceId = sourceId }, ctx.RequestAborted);
            return new SoapReceipt { Id = r.Id, SourceId = r.SourceId, Revision = r.Revision, Duplicate = r.Duplicate };
        }
        catch (GroveException e)
        {
            // Note that a SOAP client reads faults: the stable code is the fault code, the message names every field.
            throw new FaultException(new FaultReason(e.Message), new FaultCode(e.Code), "Send");
        }
    }
}
