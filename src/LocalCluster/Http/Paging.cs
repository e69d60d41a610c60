using System.Globalization;
using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Api;
using HipaaMongo.LocalCluster.Semantics;
using Microsoft.AspNetCore.Http;

namespace HipaaMongo.LocalCluster.Http;

/// <summary>
/// `limit` and `continue` of a list (kubernetes.io/docs/reference/using-api/api-concepts, "Retrieving large results
/// sets in chunks"; apiserver etcd3 store GetList). Continuations serve the objects after the token's key as they
/// are now but report the first page's resourceVersion; a token whose resourceVersion was compacted is 410 Expired.
/// </summary>
public sealed class Paging
{
    const string TooOld = "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

    ContinueToken? token;

    public int Limit { get; private init; }

    public Func<string, string, bool>? After => token is null ? null : token.IsAfter;

    public static Paging Parse(HttpRequest req, ResourceType type, long compacted)
    {
        var limitText = req.Query["limit"].ToString();
        long limit = 0;
        if (limitText.Length > 0 && !long.TryParse(limitText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out limit))
        {
            throw StatusException.BadRequest($"limit: Invalid value: \"{limitText}\": must be an integer");
        }
        var rv = req.Query["resourceVersion"].ToString();
        // resourceVersion=0 is served from the watch cache, which ignores limit (api-concepts: "the server may ignore limit").
        var paging = new Paging { Limit = rv == "0" || limit <= 0 ? 0 : (int)Math.Min(limit, int.MaxValue) };
        var cont = req.Query["continue"].ToString();
        if (cont.Length == 0)
        {
            return paging;
        }
        if (rv.Length > 0 && rv != "0")
        {
            throw StatusException.BadRequest("specifying resource version is not allowed when using continue");
        }
        paging.token = ContinueToken.Decode(cont, type.Namespaced);
        if (paging.token.ResourceVersion > 0 && paging.token.ResourceVersion < compacted)
        {
            throw new StatusException(410, "Expired", TooOld, new JsonObject())
            {
                ListMeta = new JsonObject { ["continue"] = (paging.token with { ResourceVersion = -1 }).Encode() },
            };
        }
        return paging;
    }

    /// <summary>The list's metadata: resourceVersion (the first page's), continue and remainingItemCount when more remain.</summary>
    public JsonObject ListMeta(ListPage page)
    {
        var rv = token is { ResourceVersion: > 0 } t ? t.ResourceVersion : page.ResourceVersion;
        var meta = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) };
        if (page.Last is { } last)
        {
            meta["continue"] = new ContinueToken(token?.ResourceVersion ?? page.ResourceVersion, last.Namespace, last.Name).Encode();
            if (page.Remaining is { } remaining)
            {
                meta["remainingItemCount"] = remaining;
            }
        }
        return meta;
    }
}
