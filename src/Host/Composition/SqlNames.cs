namespace Streams.Host.Composition;

/// <summary>Table and column names of the plugin's configuration in our plain SQL (SQLite and PostgreSQL alike).</summary>
internal static class SqlNames
{
    /// <summary>A standard SQL quoted identifier: "name", with inner quotes doubled.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    /// <summary>A table's quoted name, with its quoted schema in front when there is one.</summary>
    public static string Table(string? schema, string table) =>
        string.IsNullOrEmpty(schema) ? Quote(table) : Quote(schema) + "." + Quote(table);
}
