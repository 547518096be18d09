namespace Streams.Host.Composition;

/// <summary>Table and column names of the plugin's configuration in our plain SQL (SQLite and PostgreSQL alike).</summary>
internal static class SqlNames
{
    /// <summary>A standard SQL quoted identifier: "name", with inner quotes doubled.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
