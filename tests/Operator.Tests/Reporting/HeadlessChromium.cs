using System.Diagnostics;

namespace HipaaMongo.Operator.Tests.Reporting;

/// <summary>
/// Runs Debian's chromium headless on a file and returns the DOM it built (--dump-dom). Null Path when
/// chromium is not installed (scripts/install-chromium.sh installs it).
/// </summary>
internal static class HeadlessChromium
{
    public static readonly string? Path = Find();

    public static async Task<string> DumpDomAsync(string html, CancellationToken cancel)
    {
        var dir = Directory.CreateTempSubdirectory("hm-report-");
        try
        {
            var file = System.IO.Path.Combine(dir.FullName, "report.html");
            await File.WriteAllTextAsync(file, html, cancel);
            return await RunAsync(dir.FullName, new Uri(file).AbsoluteUri, cancel);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<string> RunAsync(string dir, string url, CancellationToken cancel)
    {
        var start = new ProcessStartInfo(Path ?? throw new InvalidOperationException("chromium is not installed"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // No network, no updates, no profile left behind: the page must render from the file alone.
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", $"--user-data-dir={System.IO.Path.Combine(dir, "profile")}",
            "--dump-dom", url })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var dom = await stdout;
            Assert.True(process.ExitCode == 0, $"chromium exited {process.ExitCode}: {await stderr}");
            return dom;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => System.IO.Path.Combine(d, "chromium"))
            .FirstOrDefault(File.Exists);
}
