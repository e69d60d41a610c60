using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using HipaaMongo.MongodSimulator.Tests;
using HipaaMongo.Operator.Reconciliation;
using HipaaMongo.Operator.Tests.Reconciliation;
using HipaaMongo.Operator.Tests.Users;
using HipaaMongo.Operator.Users;
using k8s;
using k8s.Models;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.Operator.Tests.EndToEnd;

/// <summary>
/// A Percona set with spec.ldap on the simulated cluster against a real slapd (LDAPS): the members validate the query
/// user at start-up, the operator creates the group role, a directory user gets exactly the mapped roles, a role
/// widened out of band is put back, and with the directory down directory users are refused while the operator's
/// x.509 identity keeps working and the set keeps being verified; and break-glass with slapd stopped: the directory
/// user is refused, the resource says so, a HipaaMongoUser's emergency grant (x.509, docs/ldap.md) works with exactly
/// its roles and its use is in mongod's audit log, and the set recovers when slapd is back.
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

    [Fact(Timeout = 300_000)]
    public async Task With_slapd_stopped_a_break_glass_x509_grant_works_with_exactly_its_roles_is_audited_and_the_set_recovers()
    {
        var ct = TestContext.Current.CancellationToken;
        var slapd = new SlapdServer();
        await slapd.InitializeAsync();
        try
        {
            var servers = new ConcurrentDictionary<string, IPEndPoint>(StringComparer.OrdinalIgnoreCase)
            {
                [Kmip.Tests.TestPki.LdapClusterServerName] = new(IPAddress.Loopback, slapd.Port),
            };
            await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct, ldapServers: servers);
            await SecretsAsync(h.Client, slapd, ct);
            // The PHIAccess audit profile records each successful read of patients (the Baseline one only denials).
            var sample = Sample();
            sample["spec"]!["audit"] = new JsonObject { ["profile"] = "PHIAccess", ["phiNamespaces"] = new JsonArray("patients") };
            await h.CreateAsync(sample, ct);
            var status = await StatusAsync(h, s => s["readyMembers"]?.GetValue<int>() == 3 && Directory(s) is ("True", ConditionReasons.LdapReachable)
                && ((JsonArray?)s["members"])?.Any(m => m!["role"]?.GetValue<string>() == "Primary") == true, "3 verified members, directory reachable", ct);
            var primary = await PrimaryIpAsync(h, status, ct);
            Assert.Equal([$"{Readers}@admin", "read@patients"], await RolesAsync(h, primary, "alice", ct));

            // The administrator on call is declared ahead of time with an ordinary role and an x.509 certificate.
            await h.Client.CustomObjects.CreateNamespacedCustomObjectAsync(OnCall(), ApiGroup.Group, ApiGroup.Version, OperatorHarness.Namespace,
                UserApiGroup.Plural, cancellationToken: ct);
            var declared = await UserControllerTests.WaitUserAsync(h, "oncall", u => UserControllerTests.Condition(u, ConditionTypes.Ready)?.Status == "True",
                "oncall Ready", ct);
            var subject = declared.Status!.Username!;

            // slapd stops: a directory login is refused, the resource reports the directory unreachable, one Warning.
            await slapd.StopAsync();
            await Assert.ThrowsAsync<MongoAuthenticationException>(() => RolesAsync(h, primary, "alice", ct));
            var outage = await StatusAsync(h, s => Directory(s) is ("False", ConditionReasons.LdapUnreachable), "DirectoryReachable False", ct);
            Assert.Contains("directory users cannot log in", Condition(outage)!["message"]!.GetValue<string>(), StringComparison.Ordinal);
            await EventAsync(h, EventReasons.LdapUnreachable, Kmip.Tests.TestPki.LdapClusterServerName, ct);

            // The emergency grant as docs/ldap.md prescribes it: root with a reason and an expiry.
            var grant = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["roles"] = new JsonArray(new JsonObject { ["role"] = "read", ["db"] = "patients" }, new JsonObject { ["role"] = "root", ["db"] = "admin" }),
                    ["breakGlass"] = new JsonObject
                    {
                        ["reason"] = "directory down, restoring access (INC-123)",
                        ["expiry"] = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                    },
                },
            };
            await h.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(grant.ToJsonString(), V1Patch.PatchType.MergePatch),
                ApiGroup.Group, ApiGroup.Version, OperatorHarness.Namespace, UserApiGroup.Plural, "oncall", cancellationToken: ct);
            var granted = await UserControllerTests.WaitUserAsync(h, "oncall", u => u.Status?.RolesInEffect?.Contains("root@admin") == true,
                "root in effect for oncall", ct);
            Assert.Equal(["read@patients", "root@admin"], granted.Status!.RolesInEffect!.Order(StringComparer.Ordinal));
            var breakGlass = Assert.Single(await UserControllerTests.UserEventsAsync(h, "oncall", ct), e => e.Reason == UserEvents.BreakGlassGranted);
            Assert.Equal("Warning", breakGlass.Type);
            Assert.Contains("INC-123", breakGlass.Message, StringComparison.Ordinal);

            // The person logs in with the user's certificate (MONGODB-X509, no directory) and holds exactly the grant.
            var since = DateTime.UtcNow;
            var asOnCall = await PersonWithOperatorCertificate.RunWithAsync(h.Client, OperatorHarness.Namespace, "oncall-mongodb-user-tls", primary,
                "admin", new BsonDocument("connectionStatus", 1), ct);
            Assert.Equal(subject, asOnCall["authInfo"]["authenticatedUsers"][0]["user"].AsString);
            // connectionStatus lists the roles with all they inherit (root's backup, ...); the user holds exactly the grant.
            var held = await PersonWithOperatorCertificate.RunWithAsync(h.Client, OperatorHarness.Namespace, "oncall-mongodb-user-tls", primary,
                "$external", new BsonDocument("usersInfo", subject), ct);
            Assert.Equal(["read@patients", "root@admin"],
                held["users"][0]["roles"].AsBsonArray.Select(r => $"{r["role"].AsString}@{r["db"].AsString}").Order(StringComparer.Ordinal));
            Assert.Contains(asOnCall["authInfo"]["authenticatedUserRoles"].AsBsonArray, r => r["role"] == "root" && r["db"] == "admin");
            await PersonWithOperatorCertificate.RunWithAsync(h.Client, OperatorHarness.Namespace, "oncall-mongodb-user-tls", primary,
                "patients", new BsonDocument("find", "records"), ct);

            // mongod's audit log records that subject's authentication and the authorization of its command.
            var primaryPod = ((JsonArray)status["members"]!).First(m => m!["role"]!.GetValue<string>() == "Primary")!["name"]!.GetValue<string>();
            var uid = (await h.Client.CoreV1.ReadNamespacedPodAsync(primaryPod, OperatorHarness.Namespace, cancellationToken: ct)).Metadata.Uid;
            var member = h.Mongods.HostOf(uid)!.State;
            var auditPath = member.Config.AuditPath!;
            List<BsonDocument> audit = [];
            try
            {
                audit = await OperatorHarness.EventuallyAsync(() => AuditAsync(auditPath, ct),
                    es => es.Any(e => e["atype"] == "authenticate" && e["result"] == 0 && e["param"]["user"] == subject
                            && e["param"]["mechanism"] == "MONGODB-X509")
                        && es.Any(e => e["atype"] == "authCheck" && e["result"] == 0 && e["param"]["command"] == "find"
                            && e["users"].AsBsonArray.Any(u => u["user"] == subject)),
                    "authenticate and authCheck of the break-glass subject in the primary's audit log", ct, TimeSpan.FromSeconds(30));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var lines = (await AuditAsync(auditPath, ct)).Where(x => x.ToJson().Contains("oncall", StringComparison.Ordinal) || x["atype"] == "authCheck");
                Assert.Fail(e.Message + "; filter " + member.Config.AuditFilter + ", auditAuthorizationSuccess "
                    + member.Parameters.Get("auditAuthorizationSuccess") + "; " + auditPath + ": " + string.Join(" | ", lines.TakeLast(12).Select(x => x.ToJson())));
            }
            // ... and the grant itself, made by the operator's identity.
            Assert.Contains(audit, e => e["atype"] == "grantRolesToUser" && e["result"] == 0 && e["param"]["user"] == subject
                && e["param"]["roles"].AsBsonArray.Any(r => r["role"] == "root" && r["db"] == "admin"));
            Assert.DoesNotContain(audit, e => e["atype"] == "authenticate" && e["param"]["mechanism"] == "PLAIN" && e["result"] == 0
                && e["ts"].ToUniversalTime() > since);

            // slapd comes back (a new address for the same name, as a restarted pod's): alice again, the condition True.
            await slapd.StartAsync();
            servers[Kmip.Tests.TestPki.LdapClusterServerName] = new IPEndPoint(IPAddress.Loopback, slapd.Port);
            Assert.Equal([$"{Readers}@admin", "read@patients"], await RolesAsync(h, primary, "alice", ct));
            await StatusAsync(h, s => Directory(s) is ("True", ConditionReasons.LdapReachable), "DirectoryReachable True again", ct);
            Assert.Single(await h.EventsAsync(ct), e => e.Reason == EventReasons.LdapUnreachable);
            Assert.DoesNotContain(SlapdServer.QueryPassword, (await h.GetResourceAsync(ct)).ToJsonString(), StringComparison.Ordinal);
        }
        finally
        {
            await slapd.DisposeAsync();
        }
    }

    private static JsonObject OnCall() => new()
    {
        ["apiVersion"] = ApiGroup.ApiVersion,
        ["kind"] = UserApiGroup.Kind,
        ["metadata"] = new JsonObject { ["name"] = "oncall", ["namespace"] = OperatorHarness.Namespace },
        ["spec"] = new JsonObject
        {
            ["hipaaMongoRef"] = new JsonObject { ["name"] = OperatorHarness.Name },
            ["authentication"] = new JsonObject { ["type"] = "X509" },
            ["roles"] = new JsonArray(new JsonObject { ["role"] = "read", ["db"] = "patients" }),
        },
    };

    private static async Task<List<BsonDocument>> AuditAsync(string path, CancellationToken ct)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var lines = (await reader.ReadToEndAsync(ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return [.. lines.Select(BsonDocument.Parse)];
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
