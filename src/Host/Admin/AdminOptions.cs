namespace Streams.Host.Admin;

/// <summary>
/// <c>Streams:Admin</c>. The token comes from the environment (<c>Streams__Admin__Token</c>) or from a secret file
/// (<c>$STREAMS_SECRETS_DIR/Streams__Admin__Token</c>), never from appsettings or the command line.
/// No token: the admin endpoint is off.
/// </summary>
public sealed class AdminOptions
{
    public const string Section = "Streams:Admin";

    public string? Token { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Token);

    public static AdminOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<AdminOptions>() ?? new AdminOptions();
        options.Token = options.Token?.Trim();
        return options;
    }
}
