using Microsoft.AspNetCore.Http;

namespace HipaaMongo.LocalCluster.Http;

/// <summary>Whether the client asked for a meta.k8s.io Table (kubectl get does, with a plain-JSON fallback).</summary>
public static class TableRequest
{
    public static bool Wants(HttpRequest req)
    {
        var accept = req.Headers.Accept.ToString();
        if (!accept.Contains("as=Table", StringComparison.Ordinal))
        {
            return false;
        }
        // The first acceptable media type wins; kubectl lists the Table one first.
        var first = accept.Split(',')[0];
        return first.Contains("as=Table", StringComparison.Ordinal) && first.Contains("g=meta.k8s.io", StringComparison.Ordinal);
    }

    public static string IncludeObject(HttpRequest req)
    {
        var v = req.Query["includeObject"].ToString();
        return v.Length == 0 ? "Metadata" : v;
    }
}
