using System.Text.RegularExpressions;

namespace HipaaMongo.ControllerRuntime.Events;

/// <summary>
/// SecretGuard is a cheap last line of defence, not a guarantee: callers are responsible for never putting
/// secrets or PHI in Event messages (Events are readable by anyone with "get events" in the namespace).
/// It recognises the obvious shapes: PEM blocks, "password=", bearer tokens, connection strings with
/// credentials, JWTs, and long base64 runs.
/// </summary>
public static partial class SecretGuard
{
    /// <summary>True when <paramref name="text"/> contains something that looks like a secret.</summary>
    public static bool LooksSecret(string? text) => !string.IsNullOrEmpty(text) && Pattern().IsMatch(text);

    [GeneratedRegex(
        @"-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----" +
        @"|(?i:\b(password|passwd|pwd|secret|token|apikey|api_key)\s*[:=]\s*\S+)" +
        @"|(?i:\bbearer\s+[A-Za-z0-9\-._~+/]{8,})" +
        @"|[a-z][a-z0-9+.\-]*://[^\s/:@]+:[^\s/@]+@" +
        @"|\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\." +
        @"|[A-Za-z0-9+/]{48,}={0,2}",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex Pattern();
}
