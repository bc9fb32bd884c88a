using Grove.Tree;

namespace Grove.Cli.Output;

/// <summary>
/// Streams one JSON document <c>{"items":[…],"next":…}</c> object by object, so a listing of any size never sits in
/// memory whole. Call <see cref="Add"/> per object, then <see cref="End"/> once.
/// </summary>
internal sealed class JsonPageWriter
{
    private readonly TextWriter _output;
    private bool _first = true;

    public JsonPageWriter(TextWriter output)
    {
        _output = output;
        _output.Write("{\"items\":[");
    }

    public void Add(TreeObject o)
    {
        if (!_first)
        {
            _output.Write(',');
        }

        _first = false;
        _output.Write(HiddenEntry.Is(o)
            ? JsonText.Build(w =>
            {
                w.WriteStartObject();
                w.WriteString("nm", o.Name);
                w.WriteString("race", o.IsDir ? "DIR" : "FILE");
                w.WriteBoolean("hidden", true);
                w.WriteEndObject();
            })
            : ObjectJson.ToJson(o));
    }

    /// <summary>Closes the document with the cursor of the next page (null when there is none).</summary>
    public void End(string? next)
    {
        _output.Write("],\"next\":");
        _output.Write(next is null ? "null" : JsonText.Build(w => w.WriteStringValue(next)));
        _output.WriteLine('}');
    }
}
