using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using HipaaMongo.MongodSimulator.Tests;
using HipaaMongo.Operator.Reconciliation;
using HipaaMongo.Operator.Tests.Reconciliation;
using k8s;
using k8s.Models;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.Operator.Tests.EndToEnd;

/// <summary>
/// A Percona set with spec.ldap on the simulated cluster against a real slapd (LDAPS): the members validate the query
/// user at start-up, the operator creates the group role, a directory user gets exactly the mapped roles, a role
/// widened out of band is put back, and with the directory down directory users are refused while the operator's
/// x.509 identity keeps working and the set keeps being verified.
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class LdapEndToEndTests
{
    private const string Readers = SlapdServer.PhiReaders;

    [Fact(Timeout = 300_000)]
    public async Task A_directory_user_gets_exactly_the_mapped_roles_drift_is_put_back_and_the_operator_outlives_the_directory()
    {
        var ct = TestContext.Current.CancellationToken;
        var slapd = new SlapdServer();
        await slapd.InitializeAsync();
        try
        {
            var directory = new IPEndPoint(IPAddress.Loopback, slapd.Port);
            var servers = new ConcurrentDictionary<string, IPEndPoint>(StringComparer.OrdinalIgnoreCase)
            {
                [Kmip.Tests.TestPki.LdapClusterServerName] = directory,
            };
            await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct, ldapServers: servers);
            await SecretsAsync(h.Client, slapd, ct);
            await h.CreateAsync(Sample(), ct);

            var status = await StatusAsync(h, s => s["readyMembers"]?.GetValue<int>() == 3
                && ((JsonArray?)s["members"])?.Any(m => m!["role"]?.GetValue<string>() == "Primary") == true, "3 verified members", ct);
            await EventAsync(h, EventReasons.LdapGroupRoleCreated, Readers, ct);
            await StatusAsync(h, s => Directory(s) is ("True", ConditionReasons.LdapReachable), "DirectoryReachable True", ct);
            var primary = await PrimaryIpAsync(h, status, ct);

            var alice = await RolesAsync(h, primary, "alice", ct);
            var bob = await RolesAsync(h, primary, "bob", ct);
            var carol = await RolesAsync(h, primary, "carol", ct); // billing is not mapped: no role
            Assert.Equal([$"{Readers}@admin", "read@patients"], alice);
            Assert.Empty(bob);
            Assert.Empty(carol);

            // An administrator with the operator's identity widens the group role; the next verification puts it back.
            await PersonWithOperatorCertificate.RunAsync(h.Client, OperatorHarness.Namespace, OperatorHarness.Name, primary,
                BsonDocument.Parse($"{{ updateRole: '{Readers}', roles: [ {{ role: 'readWrite', db: 'patients' }} ], privileges: [] }}"), ct);
            await EventAsync(h, EventReasons.RuntimeSettingReverted, Readers, ct);
            Assert.Equal([$"{Readers}@admin", "read@patients"], await RolesAsync(h, primary, "alice", ct));

            // The directory down (its name leads to a closed port): directory users are refused, x.509 keeps working.
            servers[Kmip.Tests.TestPki.LdapClusterServerName] = ClosedPort();
            var downAt = DateTime.UtcNow;
            await Assert.ThrowsAsync<MongoAuthenticationException>(() => RolesAsync(h, primary, "alice", ct));
            var asOperator = await PersonWithOperatorCertificate.RunAsync(h.Client, OperatorHarness.Namespace, OperatorHarness.Name, primary,
                new BsonDocument("connectionStatus", 1), ct);
            Assert.StartsWith("CN=", asOperator["authInfo"]["authenticatedUsers"][0]["user"].AsString, StringComparison.Ordinal);
            await StatusAsync(h, s => ((JsonArray)s["members"]!).All(m => m!["health"]?.GetValue<string>() == "Healthy"
                && DateTime.Parse(m["verifiedAt"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime() > downAt),
                "every member verified and healthy after the directory went down", ct);
            var outage = await StatusAsync(h, s => Directory(s) is ("False", ConditionReasons.LdapUnreachable), "DirectoryReachable False", ct);
            await EventAsync(h, EventReasons.LdapUnreachable, Kmip.Tests.TestPki.LdapClusterServerName, ct);
            Assert.Contains("x.509 identities", Condition(outage)!["message"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.DoesNotContain(SlapdServer.QueryPassword, (await h.GetResourceAsync(ct)).ToJsonString(), StringComparison.Ordinal);

            servers[Kmip.Tests.TestPki.LdapClusterServerName] = directory;
            Assert.Equal([$"{Readers}@admin", "read@patients"], await RolesAsync(h, primary, "alice", ct));
            await StatusAsync(h, s => Directory(s) is ("True", ConditionReasons.LdapReachable), "DirectoryReachable True again", ct);
            var warnings = (await h.EventsAsync(ct)).Where(e => e.Reason == EventReasons.LdapUnreachable).ToList();
            Assert.Single(warnings); // one Warning for the outage, not one per verification
        }
        finally
        {
            await slapd.DisposeAsync();
        }
    }

    private static JsonObject? Condition(JsonObject status) =>
        ((JsonArray?)status["conditions"])?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == ConditionTypes.DirectoryReachable);

    private static (string?, string?) Directory(JsonObject status) =>
        Condition(status) is { } c ? (c["status"]?.GetValue<string>(), c["reason"]?.GetValue<string>()) : (null, null);

    private static JsonObject Sample()
    {
        var sample = OperatorHarness.Sample();
        var spec = sample["spec"]!;
        spec["edition"] = "Percona";
        spec["version"] = "8.0.12";
        spec["image"] = "percona/percona-server-mongodb:8.0.12-4";
        spec["verification"] = new JsonObject { ["intervalSeconds"] = 10 };
        spec["ldap"] = JsonNode.Parse($$"""
            {
              "servers": ["ldaps://{{Kmip.Tests.TestPki.LdapClusterServerName}}:636"],
              "transportSecurity": "LDAPS",
              "bindDn": "{{SlapdServer.QueryUser}}",
              "bindPasswordSecretRef": {"name": "ldap-bind", "key": "password"},
              "caSecretRef": {"name": "ldap-ca", "key": "ca.crt"},
              "userToDnMapping": [{"match": "(.+)", "substitution": "uid={0},ou=people,{{SlapdServer.Suffix}}"}],
              "authzQueryTemplate": "ou=groups,{{SlapdServer.Suffix}}??one?(&(objectClass=groupOfNames)(member={USER}))",
              "groupRoleMappings": [{"group": "{{Readers}}", "roles": [{"role": "read", "db": "patients"}]}]
            }
            """);
        return sample;
    }

    private static async Task SecretsAsync(k8s.Kubernetes client, SlapdServer slapd, CancellationToken ct)
    {
        foreach (var (name, key, value) in new[] { ("ldap-bind", "password", SlapdServer.QueryPassword), ("ldap-ca", "ca.crt", File.ReadAllText(slapd.Pki.CaFile)) })
        {
            await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = OperatorHarness.Namespace },
                StringData = new Dictionary<string, string> { [key] = value },
            }, OperatorHarness.Namespace, cancellationToken: ct);
        }
    }

    // connectionStatus as a directory user (PLAIN on $external; the TLS client certificate only opens the connection).
    private static async Task<List<string>> RolesAsync(OperatorHarness h, string podIp, string user, CancellationToken ct)
    {
        var reply = await PersonWithOperatorCertificate.RunAsync(h.Client, OperatorHarness.Namespace, OperatorHarness.Name, podIp,
            new BsonDocument("connectionStatus", 1), ct, MongoCredential.CreatePlainCredential("$external", user, SlapdServer.Password(user)));
        Assert.Equal(user, reply["authInfo"]["authenticatedUsers"][0]["user"].AsString);
        return [.. reply["authInfo"]["authenticatedUserRoles"].AsBsonArray.Select(r => $"{r["role"].AsString}@{r["db"].AsString}").Order(StringComparer.Ordinal)];
    }

    private static async Task<string> PrimaryIpAsync(OperatorHarness h, JsonObject status, CancellationToken ct)
    {
        var name = ((JsonArray)status["members"]!).First(m => m!["role"]!.GetValue<string>() == "Primary")!["name"]!.GetValue<string>();
        return (await h.Client.CoreV1.ReadNamespacedPodAsync(name, OperatorHarness.Namespace, cancellationToken: ct)).Status.PodIP;
    }

    private static async Task EventAsync(OperatorHarness h, string reason, string naming, CancellationToken ct)
    {
        try
        {
            await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct),
                es => es.Any(e => e.Reason == reason && e.Message.Contains(naming, StringComparison.Ordinal)), $"a {reason} Event naming {naming}", ct,
                TimeSpan.FromSeconds(90));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Assert.Fail(e.Message + "; Events: " + string.Join(" | ", (await h.EventsAsync(ct)).Select(x => $"{x.Reason}: {x.Message}")));
        }
    }

    private static Task<JsonObject> StatusAsync(OperatorHarness h, Func<JsonObject, bool> check, string what, CancellationToken ct) =>
        OperatorHarness.EventuallyAsync(async () => (await h.GetResourceAsync(ct))["status"] as JsonObject ?? [], check, what, ct,
            TimeSpan.FromSeconds(120));

    private static IPEndPoint ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var at = (IPEndPoint)listener.LocalEndpoint;
        listener.Stop();
        return at;
    }
}
