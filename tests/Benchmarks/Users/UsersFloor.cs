using System.Diagnostics;
using System.Security.Cryptography;
using HipaaMongo.Benchmarks.Members;
using k8s;
using k8s.Models;
using MongoDB.Bson;

namespace HipaaMongo.Benchmarks.Users;

/// <summary>
/// The least any operator must do per SCRAM user, from a separate client: create its credential Secret, then
/// createUser on the set's primary with the operator's identity (one stream per set, as mongod serializes user
/// writes). The floor's users and Secrets are removed afterwards, so the operator's run starts from the same state.
/// </summary>
public static class UsersFloor
{
    public sealed record Target(string Namespace, string Set, IReadOnlyList<string> Ips, Identity Writer);

    /// <summary>Seconds to create <paramref name="users"/> users spread over the targets.</summary>
    public static async Task<double> MeasureAsync(IKubernetes admin, IReadOnlyList<Target> targets, int users, CancellationToken ct)
    {
        var shells = new List<MemberShell>();
        try
        {
            foreach (var t in targets)
            {
                shells.Add(await PrimaryAsync(t, ct));
            }

            var clock = Stopwatch.StartNew();
            await Task.WhenAll(targets.Select((t, s) => CreateAsync(admin, t, shells[s], Share(users, targets.Count, s), ct)));
            var seconds = clock.Elapsed.TotalSeconds;
            await Task.WhenAll(targets.Select((t, s) => RemoveAsync(admin, t, shells[s], Share(users, targets.Count, s), ct)));
            return seconds;
        }
        finally
        {
            shells.ForEach(s => s.Dispose());
        }
    }

    static int Share(int users, int sets, int s) => users / sets + (s < users % sets ? 1 : 0);

    static string Name(int i) => "floor-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    static async Task CreateAsync(IKubernetes admin, Target t, MemberShell primary, int count, CancellationToken ct)
    {
        for (var i = 0; i < count; i++)
        {
            var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)); // 32 characters, as the operator's
            await admin.CoreV1.CreateNamespacedSecretAsync(new V1Secret
            {
                Metadata = new V1ObjectMeta { Name = $"{t.Set}-{Name(i)}", NamespaceProperty = t.Namespace },
                StringData = new Dictionary<string, string> { ["password"] = password },
            }, t.Namespace, cancellationToken: ct);
            await primary.RunAsync(new BsonDocument
            {
                { "createUser", Name(i) },
                { "pwd", password },
                { "roles", new BsonArray { new BsonDocument { { "role", "read" }, { "db", "patients" } } } },
                { "mechanisms", new BsonArray { "SCRAM-SHA-256" } },
            }, ct);
        }
    }

    static async Task RemoveAsync(IKubernetes admin, Target t, MemberShell primary, int count, CancellationToken ct)
    {
        for (var i = 0; i < count; i++)
        {
            await primary.RunAsync(new BsonDocument("dropUser", Name(i)), ct);
            await admin.CoreV1.DeleteNamespacedSecretAsync($"{t.Set}-{Name(i)}", t.Namespace, cancellationToken: ct);
        }
    }

    static async Task<MemberShell> PrimaryAsync(Target t, CancellationToken ct)
    {
        foreach (var ip in t.Ips)
        {
            var shell = new MemberShell(ip, t.Writer);
            var hello = await shell.RunAsync(new BsonDocument("hello", 1), ct);
            if (hello.GetValue("isWritablePrimary", false).ToBoolean())
            {
                return shell;
            }

            shell.Dispose();
        }

        throw new InvalidOperationException($"{t.Namespace}/{t.Set} has no primary");
    }
}
