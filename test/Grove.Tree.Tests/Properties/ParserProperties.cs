using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Grove.Tree.Query;

namespace Grove.Tree.Tests.Properties;

/// <summary>
/// The tree's parsers under generated input (issue 12, standing check): every text either parses or is refused with the
/// parser's own stable code, never another exception; what parses round-trips through its canonical text.
/// </summary>
public sealed class ParserProperties
{
    private const int Runs = 1000;

    private static readonly string[] MountTokens =
        ["mem", "file", "lbm", "dao", "pg", "sqlite", "s4", "://", ":", "(", ")", "/", ".", "..", "a", "x1", " ", ",", "=", "@", "%", "\0", "é", "\\"];

    private static readonly string[] StoreTokens =
        ["postgres://", "postgresql://", "sqlite", "mem", "Host=", "Database=", "Password=", "user", ":", "@", "/", ";", "=", "h", "5432", " ", "%", "\0", "://", "x"];

    private static readonly string[] FilterTokens =
        ["{", "}", "[", "]", ",", ":", "\"nm\"", "\"len\"", "\"lbls\"", "\"%and\"", "\"%or\"", "\"$gt\"", "\"$in\"", "\"$regex\"", "\"$exists\"",
         "\"$glob\"", "\"$prefix\"", "\"^a(\"", "\"^a+$\"", "\"[1,2)\"", "\"(,5]\"", "\"[2024-01-01,2024-02-01)\"", "\"[x,\"", "\"!x\"", "\"a*\"",
         "\"a?b\"", "\"\\\\^x\"", "null", "1", "-1e999", "1e400", "true", "\"\"", "\"!\"", "\"[\"", "\"*\""];

    private static readonly string[] PathTokens = ["/", "/", "a", "b", ".", "..", "//", "é", "\0", "\r", "\n", "\t", " ", new string('n', 255), new string('m', 256), "\ud800"];

    private static Arbitrary<string> Texts(string[] tokens) =>
        Gen.OneOf(
                Gen.ArrayOf(Gen.Elements(tokens)).Select(string.Concat),
                ArbMap.Default.ArbFor<string>().Generator.Select(s => s ?? ""))
            .ToArbitrary();

    [Property(MaxTest = Runs)]
    public Property MountSpec_AnyText_ParsesAndRoundTripsOrIsInvalidMount() =>
        Prop.ForAll(Texts(MountTokens), text =>
        {
            MountSpec spec;
            try
            {
                spec = MountSpec.Parse(text);
            }
            catch (TreeException e)
            {
                return e.Code == TreeErrorCode.InvalidMount;
            }

            return MountSpec.Parse(spec.Text).Text == spec.Text && MountSpec.TryParse(text, out _);
        });

    [Property(MaxTest = Runs)]
    public Property StoreSpec_AnyText_ParsesAndRoundTripsOrIsInvalidStore() =>
        Prop.ForAll(Texts(StoreTokens), text =>
        {
            if (!StoreSpec.TryParse(text, out var spec, out var error))
            {
                var e = Should.Throw<TreeException>(() => StoreSpec.Parse(text));
                return e.Code == TreeErrorCode.InvalidStore && error.Length > 0;
            }

            var again = StoreSpec.Parse(spec.Text);
            return again.Kind == spec.Kind && again.Setting == spec.Setting && spec.Display.Length > 0;
        });

    [Property(MaxTest = Runs)]
    public Property WnQueryFilter_AnyText_ParsesOrIsInvalidFilter() =>
        Prop.ForAll(Texts(FilterTokens), text =>
        {
            try
            {
                return FilterParser.Parse(text) is not null;
            }
            catch (TreeException e)
            {
                return e.Code == TreeErrorCode.InvalidFilter;
            }
        });

    [Property(MaxTest = Runs)]
    public Property SortKey_AnyText_ParsesOrIsRefused() =>
        Prop.ForAll(Texts(["-", "+", "nm", "lm", "len", "x", " ", ".", "\0"]), text =>
        {
            try
            {
                return SortKey.Parse(text) is not null;
            }
            catch (TreeException e)
            {
                return e.Code is TreeErrorCode.InvalidFilter;
            }
        });

    [Property(MaxTest = Runs)]
    public Property TreePath_AnyText_NormalizesIdempotentlyOrIsRefusedWithAPathCode() =>
        Prop.ForAll(Texts(PathTokens), text =>
        {
            string norm;
            try
            {
                norm = TreeNames.Normalize(text);
            }
            catch (TreeException e)
            {
                return e.Code is TreeErrorCode.InvalidPath or TreeErrorCode.InvalidName or TreeErrorCode.PathTooDeep or TreeErrorCode.PathTooLong;
            }

            return TreeNames.Normalize(norm) == norm
                && TreeNames.Split(norm).All(TreeNames.IsValidName)
                && (norm == "/" || !norm.EndsWith('/'));
        });

    [Property(MaxTest = Runs)]
    public Property TreeName_AnyText_ValidateAgreesWithIsValid() =>
        Prop.ForAll(Texts(PathTokens), name =>
        {
            var valid = TreeNames.IsValidName(name);
            try
            {
                TreeNames.ValidateName(name);
                return valid && !name.Any(char.IsControl) && !name.Contains('/', StringComparison.Ordinal);
            }
            catch (TreeException e)
            {
                return !valid && e.Code == TreeErrorCode.InvalidName;
            }
        });
}
