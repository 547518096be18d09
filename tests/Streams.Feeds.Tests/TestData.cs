using Streams.Feeds.Model;

namespace Streams.Feeds.Tests;

internal static class TestData
{
    /// <summary>A file under Data/ (copied to the test output).</summary>
    public static string File(string relative) => Path.Combine(AppContext.BaseDirectory, "Data", relative);

    /// <summary>A file of the shared recorded data (<c>../shared/data</c> beside the repository); shared-only licences stay there.</summary>
    public static string Shared(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "Streams.sln"))) dir = dir.Parent;
        var path = Path.GetFullPath(Path.Combine(dir?.FullName ?? ".", "..", "shared", "data", relative));
        return System.IO.File.Exists(path) ? path : throw new FileNotFoundException($"shared data missing: {path}");
    }

    /// <summary>A file with this content in a fresh folder under the system temp dir (<c>streams-feeds-tests/</c>).</summary>
    public static string Temp(string name, string content)
    {
        var dir = Path.Combine(Path.GetTempPath(), "streams-feeds-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public static string Temp(string name, byte[] content)
    {
        var path = Temp(name, "");
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    public static FeedBatch Import(string format, params string[] paths) => FeedFormats.Import(format, paths, new FeedFormats.Inputs());

    public static FeedBatch Import(string format, FeedFormats.Inputs inputs, params string[] paths) => FeedFormats.Import(format, paths, inputs);
}
