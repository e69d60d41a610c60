using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using k8s;

namespace HipaaMongo.Benchmarks.Users;

/// <summary>HipaaMongoUsers as a platform team applies them: SCRAM, read on the PHI database, spread over the sets.</summary>
public static class UserFleet
{
    /// <summary>The users with ordinals [from, to), each on set ordinal % sets, created 8 at a time.</summary>
    public static Task CreateAsync(IKubernetes admin, IReadOnlyList<(string Namespace, string Name)> sets, int from, int to, CancellationToken ct) =>
        Parallel.ForEachAsync(Enumerable.Range(from, to - from), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (i, token) =>
            {
                var (ns, set) = sets[i % sets.Count];
                await admin.CustomObjects.CreateNamespacedCustomObjectAsync(User(ns, set, Name(i)), ApiGroup.Group, ApiGroup.Version, ns,
                    UserApiGroup.Plural, cancellationToken: token);
            });

    /// <summary>Deletes users [0, count) and waits until none is left (each dropped from mongod first: reclaimPolicy Delete).</summary>
    public static async Task DeleteAllAsync(IKubernetes admin, IReadOnlyList<(string Namespace, string Name)> sets, int count, CancellationToken ct)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (i, token) => await admin.CustomObjects.DeleteNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version,
                sets[i % sets.Count].Namespace, UserApiGroup.Plural, Name(i), cancellationToken: token));
        await Drift.Waits.UntilAsync(async () =>
            {
                var list = (JsonElement)await admin.CustomObjects.ListClusterCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, UserApiGroup.Plural,
                    cancellationToken: ct);
                return list.GetProperty("items").GetArrayLength() == 0;
            }, TimeSpan.FromSeconds(30) + TimeSpan.FromSeconds(1) * count, "every HipaaMongoUser gone", ct);
    }

    /// <summary>HipaaMongoUsers whose Ready condition is True, over every namespace.</summary>
    public static async Task<int> ReadyAsync(IKubernetes admin, CancellationToken ct)
    {
        var list = (JsonElement)await admin.CustomObjects.ListClusterCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, UserApiGroup.Plural,
            cancellationToken: ct);
        return list.GetProperty("items").EnumerateArray().Count(item => item.TryGetProperty("status", out var status)
            && status.TryGetProperty("conditions", out var conditions)
            && conditions.EnumerateArray().Any(c => c.GetProperty("type").GetString() == "Ready" && c.GetProperty("status").GetString() == "True"));
    }

    public static string Name(int ordinal) => "clerk-" + ordinal.ToString("D4", CultureInfo.InvariantCulture);

    static JsonObject User(string ns, string set, string name) => new()
    {
        ["apiVersion"] = ApiGroup.ApiVersion,
        ["kind"] = UserApiGroup.Kind,
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["hipaaMongoRef"] = new JsonObject { ["name"] = set },
            ["authentication"] = new JsonObject { ["type"] = "ScramSha256" },
            ["roles"] = new JsonArray(new JsonObject { ["role"] = "read", ["db"] = "patients" }),
        },
    };
}
