using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Streams.Contracts.Outputs;

namespace Streams.Contracts.Validation;

/// <summary>A validation failure: one of <see cref="DeadLetterReasons"/> and a human-readable error.</summary>
internal readonly record struct Problem(string Reason, string Error)
{
    public static Problem NotJson(string error) => new(DeadLetterReasons.NotJson, error);
    public static Problem Missing(string error) => new(DeadLetterReasons.MissingField, error);
    public static Problem Invalid(string error) => new(DeadLetterReasons.InvalidField, error);
    public static Problem OutOfRange(string error) => new(DeadLetterReasons.OutOfRange, error);
}

/// <summary>
/// The structural pass over a value before any field is read: UTF-8, JSON syntax, nesting depth, a top-level
/// object, duplicate keys anywhere, and bare <c>NaN</c>/<c>Infinity</c> tokens (reported as invalid-field,
/// as the contract says NaN and infinities are invalid-field however they appear).
/// </summary>
internal static class JsonInspection
{
    public const int MaxDepth = 64;

    /// <summary>How many property names (of all objects open at once) the allocation-free pass keeps track of.</summary>
    public const int MaxPlainNames = 128;

    public static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    private static readonly string[] NonFiniteLiterals = ["NaN", "-NaN", "+NaN", "Infinity", "-Infinity", "+Infinity"];

    private sealed class Frame(bool isArray, string path)
    {
        public bool IsArray { get; } = isArray;
        public string Path { get; } = path;
        public int Index { get; set; }
        public string? Property { get; set; }
        public HashSet<string>? Names { get; set; }

        /// <summary>The path of the value that comes next in this container.</summary>
        public string ChildPath => IsArray ? $"{Path}[{Index}]" : JsonPath.Join(Path, Property ?? "?");
    }

    /// <summary>Null when the value is a well-formed JSON object without duplicate keys.</summary>
    public static Problem? Inspect(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
            return Problem.NotJson("value is empty, expected a JSON object");
        if (!Utf8.IsValid(value))
            return Problem.NotJson("value is not valid UTF-8");
        return IsPlainCleanObject(value) ? null : InspectFully(value);
    }

    /// <summary>
    /// The common case without allocating: true when the (valid UTF-8) value is one well-formed JSON object, no
    /// deeper than <see cref="MaxDepth"/>, without duplicate keys, whose property names are not escaped (so equal names
    /// have equal bytes) and which has at most <see cref="MaxPlainNames"/> names open at once. False says nothing
    /// more than "not that case": <see cref="InspectFully"/> then finds and names the problem, if there is one.
    /// </summary>
    internal static bool IsPlainCleanObject(ReadOnlySpan<byte> value)
    {
        var none = default(NoMembers);
        return IsPlainCleanObject(value, ref none);
    }

    /// <summary>
    /// <see cref="IsPlainCleanObject(ReadOnlySpan{byte})"/> that also hands the value of every top-level member to
    /// <paramref name="members"/> as it passes, so a caller can read fields in the same pass. False as soon as
    /// <paramref name="members"/> declines a value.
    /// </summary>
    internal static bool IsPlainCleanObject<TMembers>(ReadOnlySpan<byte> value, ref TMembers members)
        where TMembers : struct, ITopLevelMembers
    {
        Span<int> nameStart = stackalloc int[MaxPlainNames];
        Span<int> nameLength = stackalloc int[MaxPlainNames];
        // Per open container: the index of its first name (objects), or -1 (arrays).
        Span<int> firstName = stackalloc int[MaxDepth + 1];
        var names = 0;
        var depth = 0;
        var topLevelName = -1; // the top-level name whose value is the next token
        var reader = new Utf8JsonReader(value, ReaderOptions);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            firstName[depth++] = 0;
            while (reader.Read())
            {
                if (topLevelName >= 0)
                {
                    if (!members.Take(value.Slice(nameStart[topLevelName], nameLength[topLevelName]), ref reader)) return false;
                    topLevelName = -1;
                }

                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        firstName[depth++] = names;
                        break;
                    case JsonTokenType.StartArray:
                        firstName[depth++] = -1;
                        break;
                    case JsonTokenType.EndObject:
                        names = firstName[--depth];
                        break;
                    case JsonTokenType.EndArray:
                        depth--;
                        break;
                    case JsonTokenType.PropertyName:
                        if (reader.ValueIsEscaped || names == MaxPlainNames) return false;
                        var name = reader.ValueSpan;
                        for (var i = firstName[depth - 1]; i < names; i++)
                            if (value.Slice(nameStart[i], nameLength[i]).SequenceEqual(name)) return false;
                        nameStart[names] = (int)reader.TokenStartIndex + 1; // after the opening quote
                        nameLength[names] = name.Length;
                        if (depth == 1) topLevelName = names;
                        names++;
                        break;
                }
            }
            return depth == 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Every check, naming the first problem found (with its path); null when there is none.</summary>
    internal static Problem? InspectFully(ReadOnlySpan<byte> value)
    {
        var reader = new Utf8JsonReader(value, ReaderOptions);
        var frames = new Stack<Frame>();
        Problem? duplicate = null;
        try
        {
            bool first = true;
            while (reader.Read())
            {
                if (first)
                {
                    first = false;
                    if (reader.TokenType != JsonTokenType.StartObject)
                        return Problem.NotJson($"expected a JSON object, got {Describe(reader.TokenType)}");
                }

                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        string path = frames.TryPeek(out var parent) ? parent.ChildPath : "";
                        if (parent is { IsArray: true })
                            parent.Index++;
                        frames.Push(new Frame(reader.TokenType == JsonTokenType.StartArray, path));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        var frame = frames.Peek();
                        string name = PropertyName(ref reader);
                        frame.Names ??= new HashSet<string>(StringComparer.Ordinal);
                        if (!frame.Names.Add(name))
                            duplicate ??= Problem.Invalid($"{JsonPath.Join(frame.Path, name)}: duplicate key");
                        frame.Property = name;
                        break;
                    default:
                        if (frames.TryPeek(out var container) && container.IsArray)
                            container.Index++;
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            if (NonFiniteAt(value, reader.BytesConsumed) is { } literal && frames.TryPeek(out var container))
                return Problem.Invalid($"{container.ChildPath}: NaN and infinities are not allowed, got {literal}");
            return Problem.NotJson($"not valid JSON: {ex.Message}");
        }

        return duplicate;
    }

    private static string PropertyName(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate: compare such names by their raw bytes.
            return "\u0000" + Convert.ToBase64String(reader.ValueSpan);
        }
    }

    private static string? NonFiniteAt(ReadOnlySpan<byte> value, long consumed)
    {
        int i = (int)Math.Min(consumed, value.Length);
        // The reader stops at or just before the offending token; step over separators and whitespace.
        while (i < value.Length && value[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)':' or (byte)',' or (byte)'[')
            i++;
        var rest = value[i..];
        foreach (var literal in NonFiniteLiterals)
        {
            if (rest.StartsWith(Encoding.ASCII.GetBytes(literal)))
                return literal;
        }

        return null;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}

/// <summary>Receives the top-level members of an object during <see cref="JsonInspection.IsPlainCleanObject{TMembers}"/>.</summary>
internal interface ITopLevelMembers
{
    /// <summary>
    /// The reader is on the member's value (its first token for an object or array). Read it without moving the
    /// reader; false declines the value, which ends the pass.
    /// </summary>
    bool Take(ReadOnlySpan<byte> name, ref Utf8JsonReader reader);
}

internal struct NoMembers : ITopLevelMembers
{
    public readonly bool Take(ReadOnlySpan<byte> name, ref Utf8JsonReader reader) => true;
}

internal static class JsonPath
{
    public static string Join(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";
}
