using System.Text;
using System.Text.Json.Nodes;
using HipaaMongo.ControllerRuntime.Events;
using HipaaMongo.ControllerRuntime.Meta;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Tests.Reconciliation;
using HipaaMongo.Operator.Users;
using HipaaMongo.Operator.Users.Journal;
using HipaaMongo.Operator.Users.Planning;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Users;

/// <summary>
/// The user controller as `hipaa-mongo run` hosts it, against LocalCluster: what wakes a HipaaMongoUser, and what a
/// refusal leaves behind. The database side is a scripted edge (<see cref="FakeUserAccessEdge"/>).
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class UserControllerTests
{
    [Fact(Timeout = 90_000)]
    public async Task A_role_added_to_the_HipaaMongo_spec_wakes_a_user_stalled_on_it_without_any_edit_of_the_user()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await CreateUserAsync(h, "reader", ("patientsReader", "admin"), ct);
        // A stall is never retried on a timer: only an event wakes the user again.
        await WaitUserAsync(h, "reader", u => Condition(u, ConditionTypes.Stalled)?.Reason == "RoleNotDeclared", "reader Stalled on its undeclared role", ct);

        var roles = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["roles"] = new JsonArray(new JsonObject
                {
                    ["name"] = "patientsReader",
                    ["db"] = "admin",
                    ["privileges"] = new JsonArray(new JsonObject
                    {
                        ["resource"] = new JsonObject { ["db"] = "patients", ["collection"] = "" },
                        ["actions"] = new JsonArray("find"),
                    }),
                }),
            },
        };
        await h.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(roles.ToJsonString(), V1Patch.PatchType.MergePatch),
            ApiGroup.Group, ApiGroup.Version, OperatorHarness.Namespace, ApiGroup.Plural, OperatorHarness.Name, cancellationToken: ct);

        var woken = await WaitUserAsync(h, "reader", u => Condition(u, ConditionTypes.Stalled) is null, "reader no longer Stalled", ct);
        Assert.NotEqual("RoleNotDeclared", Condition(woken, ConditionTypes.Ready)!.Reason);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_foreign_secret_of_the_credential_name_stalls_the_user_with_one_warning_and_no_database_change_until_it_is_gone()
    {
        var ct = TestContext.Current.CancellationToken;
        var edge = new FakeUserAccessEdge();
        await using var h = await OperatorHarness.StartAsync(ct, members: new FakeMemberVerifier(TimeProvider.System), userEdge: edge);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await PartialReadinessTests.WaitAsync(h, r => r.Status?.Compliance?.Compliant == ComplianceState.True, "compliant", ct);
        const string Canary = "canary-foreign-password-7f3a";
        await h.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "alice-mongodb-user" },
            Data = new Dictionary<string, byte[]> { ["password"] = Encoding.UTF8.GetBytes(Canary) },
        }, OperatorHarness.Namespace, cancellationToken: ct);

        await CreateUserAsync(h, "alice", ("read", "patients"), ct);
        var stalled = await WaitUserAsync(h, "alice", u => Condition(u, ConditionTypes.Stalled)?.Reason == UserEvents.SecretNotOwned, "alice Stalled", ct);
        Assert.Contains("Secret alice-mongodb-user exists and is not owned by HipaaMongoUser alice", Condition(stalled, ConditionTypes.Stalled)!.Message,
            StringComparison.Ordinal);

        // Two more passes (a key is never processed by two workers at once, so the third's read proves the second ended).
        for (var i = 0; i < 2; i++)
        {
            var seen = edge.Observations;
            await AnnotateAsync(h, "alice", $"poke-{i}", ct);
            await OperatorHarness.EventuallyAsync(() => Task.FromResult(edge.Observations), n => n > seen, $"pass {i + 2} read users", ct);
        }
        Assert.DoesNotContain(edge.Applied, op => op is CreateUserOp);
        var warnings = (await UserEventsAsync(h, "alice", ct)).Where(e => e.Reason == UserEvents.SecretNotOwned).ToList();
        Assert.Equal(EventRecorder.Warning, Assert.Single(warnings).Type);
        Assert.Equal(1, warnings[0].Count ?? 1);
        var kept = await h.Client.CoreV1.ReadNamespacedSecretAsync("alice-mongodb-user", OperatorHarness.Namespace, cancellationToken: ct);
        Assert.Equal(Canary, Encoding.UTF8.GetString(kept.Data["password"]));
        var said = KubernetesJson.Serialize(await ReadUserAsync(h, "alice", ct)) + string.Join("\n", (await UserEventsAsync(h, "alice", ct)).Select(e => e.Message));
        Assert.DoesNotContain(Canary, said, StringComparison.Ordinal);

        await h.Client.CoreV1.DeleteNamespacedSecretAsync("alice-mongodb-user", OperatorHarness.Namespace, cancellationToken: ct);
        await AnnotateAsync(h, "alice", "after-removal", ct);
        var ready = await WaitUserAsync(h, "alice", u => Condition(u, ConditionTypes.Ready)?.Status == "True", "alice Ready once the Secret is gone", ct);
        Assert.Null(Condition(ready, ConditionTypes.Stalled));
        var owned = await h.Client.CoreV1.ReadNamespacedSecretAsync("alice-mongodb-user", OperatorHarness.Namespace, cancellationToken: ct);
        Assert.Equal(ready.Metadata.Uid, Assert.Single(owned.Metadata.OwnerReferences).Uid);
    }

    [Fact(Timeout = 120_000)]
    public async Task Each_access_change_is_journaled_with_the_manager_that_asked_and_the_report_shows_the_journal_and_the_phi_review_without_a_password()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct, members: new FakeMemberVerifier(TimeProvider.System), userEdge: new FakeUserAccessEdge());
        var sample = OperatorHarness.Sample();
        sample["spec"]!["audit"] = new JsonObject { ["profile"] = "PHIAccess", ["phiNamespaces"] = new JsonArray("patients") };
        await h.CreateAsync(sample, ct);
        await PartialReadinessTests.WaitAsync(h, r => r.Status?.Compliance is not null, "evaluated", ct);

        await CreateUserAsync(h, "physicians", ("readWrite", "patients"), ct, fieldManager: "dr-admin");
        await WaitUserAsync(h, "physicians", u => u.Status?.Version == 1 && Condition(u, ConditionTypes.Ready)?.Status == "True", "physicians-1 Ready", ct);
        var first = await PasswordAsync(h, "physicians", ct);
        var rotate = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [UserApiGroup.RotateAnnotation] = "ticket-42" } } };
        await h.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(rotate.ToJsonString(), V1Patch.PatchType.MergePatch),
            ApiGroup.Group, ApiGroup.Version, OperatorHarness.Namespace, UserApiGroup.Plural, "physicians", fieldManager: "security-officer", cancellationToken: ct);
        var rotated = await WaitUserAsync(h, "physicians", u => u.Status?.Version == 2 && Condition(u, ConditionTypes.Ready)?.Status == "True",
            "physicians-2 Ready", ct);
        var second = await PasswordAsync(h, "physicians", ct);

        var journal = await h.Client.CoreV1.ReadNamespacedConfigMapAsync(AccessJournalStore.ConfigMapName(OperatorHarness.Name), OperatorHarness.Namespace,
            cancellationToken: ct);
        var entries = AccessJournal.Deserialize(journal.Data[AccessJournalStore.Key("physicians")]);
        Assert.Equal(2, entries.Count);
        Assert.Equal("create user physicians-1@admin with readWrite@patients (declared)", entries[0].Change);
        Assert.Equal("dr-admin (Update)", entries[0].RequestedBy);
        Assert.NotNull(entries[0].RequestedAt);
        Assert.StartsWith("create user physicians-2@admin with readWrite@patients (rotation requested", entries[1].Change, StringComparison.Ordinal);
        Assert.Equal("security-officer (Update)", entries[1].RequestedBy);

        var kubeconfig = Path.Combine(Path.GetTempPath(), $"hm-journal-{Guid.NewGuid():N}.kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, h.Server.KubeconfigYaml, ct);
        try
        {
            var (code, report, stderr) = await Task.Run(() => GoldenTests.Run("report", OperatorHarness.Name, "-n", OperatorHarness.Namespace,
                "--format", "markdown", "--kubeconfig", kubeconfig), ct);
            Assert.True(code == 0, stderr);
            Assert.Contains("## Access journal", report, StringComparison.Ordinal);
            Assert.Contains("| physicians | create user physicians-1@admin with readWrite@patients (declared) | dr-admin (Update) |", report, StringComparison.Ordinal);
            Assert.Contains("security-officer (Update)", report, StringComparison.Ordinal);
            Assert.Contains("## PHI access review", report, StringComparison.Ordinal);
            Assert.Contains($"- HipaaMongoUser physicians (physicians-2): {rotated.Status!.PhiAccess![0]}", report, StringComparison.Ordinal);
            Assert.Contains("remove", rotated.Status.PhiAccess[0], StringComparison.Ordinal);

            // The canaries: neither generated password is in the report, the journal, the user's status or its Events.
            var said = report + KubernetesJson.Serialize(journal) + KubernetesJson.Serialize(await ReadUserAsync(h, "physicians", ct))
                + string.Join("\n", (await UserEventsAsync(h, "physicians", ct)).Select(e => e.Message));
            Assert.DoesNotContain(first, said, StringComparison.Ordinal);
            Assert.DoesNotContain(second, said, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task The_HipaaMongo_status_lists_who_can_remove_in_a_PHI_database_and_drops_a_user_once_it_is_gone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct, members: new FakeMemberVerifier(TimeProvider.System), userEdge: new FakeUserAccessEdge());
        var sample = OperatorHarness.Sample();
        sample["spec"]!["audit"] = new JsonObject { ["profile"] = "PHIAccess", ["phiNamespaces"] = new JsonArray("patients.records") };
        await h.CreateAsync(sample, ct);
        await PartialReadinessTests.WaitAsync(h, r => r.Status?.Compliance is not null, "evaluated", ct);

        await CreateUserAsync(h, "physicians", ("readWrite", "patients"), ct);
        await CreateUserAsync(h, "billing", ("read", "patients"), ct);
        var physicians = await WaitUserAsync(h, "physicians", u => u.Status?.PhiAccess is [_, ..], "physicians reviewed", ct);
        await WaitUserAsync(h, "billing", u => Condition(u, ConditionTypes.Ready)?.Status == "True", "billing Ready", ct);

        // The set's own status carries the user's line (billing's read removes nothing, so it is not there).
        var expected = $"HipaaMongoUser physicians ({physicians.Status!.Username}@admin) {physicians.Status.PhiAccess![0]}";
        var listed = await PartialReadinessTests.WaitAsync(h, r => r.Status?.PhiAccess is [_, ..], "status.phiAccess", ct);
        Assert.Equal([expected], listed.Status!.PhiAccess);
        Assert.Contains("remove", expected, StringComparison.Ordinal);

        await h.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, OperatorHarness.Namespace,
            UserApiGroup.Plural, "physicians", cancellationToken: ct);
        await PartialReadinessTests.WaitAsync(h, r => r.Status?.PhiAccess is null, "status.phiAccess removed with the user", ct);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_settled_pass_over_every_user_makes_no_write_as_the_operator()
    {
        const int Users = 20;
        var ct = TestContext.Current.CancellationToken;
        var edge = new FakeUserAccessEdge();
        await using var h = await OperatorHarness.StartAsync(ct, members: new FakeMemberVerifier(TimeProvider.System), userEdge: edge);
        // The pokes come from another identity, so the audit trail tells them from the operator's requests.
        using var poker = new Kubernetes(h.Server.ClientConfiguration(h.Server.ServiceAccountToken(OperatorHarness.Namespace, "poker")));
        const string PokerUser = $"system:serviceaccount:clinical:poker";
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await PartialReadinessTests.WaitAsync(h, r => r.Status?.Compliance is not null, "evaluated", ct);
        var names = Enumerable.Range(0, Users).Select(i => $"clerk-{i:D2}").ToList();
        foreach (var name in names)
            await CreateUserAsync(h, name, ("read", "patients"), ct);
        foreach (var name in names)
            await WaitUserAsync(h, name, u => Condition(u, ConditionTypes.Ready)?.Status == "True", $"{name} Ready", ct);

        // Two rounds of pokes: each user's second pass starts only after its first ended (one worker per key), so
        // when every user has read twice more, a full settled pass of each is over.
        var mark = h.Server.AuditTrail.Records.Count;
        var seen = edge.Observations;
        for (var round = 0; round < 2; round++)
        {
            foreach (var name in names)
                await AnnotateAsync(poker, name, $"settled-{round}", ct);
            var want = seen + (Users * (round + 1));
            await OperatorHarness.EventuallyAsync(() => Task.FromResult(edge.Observations), n => n >= want, $"round {round} of settled passes", ct);
        }

        var pokes = h.Server.AuditTrail.Records.Skip(mark).Count(r => r.User == PokerUser && r.Resource == UserApiGroup.Plural);
        Assert.Equal(2 * Users, pokes);
        var writes = h.Server.AuditTrail.Records.Skip(mark)
            .Where(r => r.User != PokerUser && LocalCluster.Hosting.AuditTrail.WriteVerbs.Contains(r.Verb) && !r.DryRun)
            .Where(r => r.Resource == UserApiGroup.Plural
                || (r.Resource == "secrets" && r.Name?.EndsWith("-mongodb-user", StringComparison.Ordinal) == true)
                // cert-manager (simulated, same identity) still issues the last users' certificates: their status is its write.
                || (r.Resource == "certificates" && r.Subresource != "status" && r.Name?.EndsWith("-mongodb-user-tls", StringComparison.Ordinal) == true)
                || (r.Resource == "configmaps" && r.Name?.EndsWith("-access-journal", StringComparison.Ordinal) == true)
                || (r.Resource == "events" && !string.IsNullOrEmpty(r.Name) && names.Any(n => r.Name.StartsWith(n + ".", StringComparison.Ordinal))))
            .Select(r => $"{r.Verb} {r.Resource}/{r.Subresource} {r.Name}")
            .ToList();
        Assert.Empty(writes);
        Assert.All(edge.Applied, op => Assert.IsType<CreateUserOp>(op)); // only the creations ever reached mongod
        Assert.Equal(Users, edge.Applied.Count);
    }

    private static async Task<string> PasswordAsync(OperatorHarness h, string user, CancellationToken ct)
    {
        var secret = await h.Client.CoreV1.ReadNamespacedSecretAsync($"{user}-mongodb-user", OperatorHarness.Namespace, cancellationToken: ct);
        var password = Encoding.UTF8.GetString(secret.Data["password"]);
        Assert.True(password.Length >= 32);
        return password;
    }

    internal static Task CreateUserAsync(OperatorHarness h, string name, (string Role, string Db) role, CancellationToken ct, JsonObject? authentication = null,
        string? fieldManager = null)
    {
        var user = new JsonObject
        {
            ["apiVersion"] = ApiGroup.ApiVersion,
            ["kind"] = UserApiGroup.Kind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = OperatorHarness.Namespace },
            ["spec"] = new JsonObject
            {
                ["hipaaMongoRef"] = new JsonObject { ["name"] = OperatorHarness.Name },
                ["authentication"] = authentication ?? new JsonObject { ["type"] = "ScramSha256" },
                ["roles"] = new JsonArray(new JsonObject { ["role"] = role.Role, ["db"] = role.Db }),
            },
        };
        return h.Client.CustomObjects.CreateNamespacedCustomObjectAsync(user, ApiGroup.Group, ApiGroup.Version, OperatorHarness.Namespace,
            UserApiGroup.Plural, fieldManager: fieldManager, cancellationToken: ct);
    }

    internal static async Task<HipaaMongoUserResource> ReadUserAsync(OperatorHarness h, string name, CancellationToken ct)
    {
        var obj = await h.Client.CustomObjects.GetNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, OperatorHarness.Namespace,
            UserApiGroup.Plural, name, ct);
        return KubernetesJson.Deserialize<HipaaMongoUserResource>(((System.Text.Json.JsonElement)obj).GetRawText());
    }

    internal static Task<HipaaMongoUserResource> WaitUserAsync(OperatorHarness h, string name, Func<HipaaMongoUserResource, bool> check, string what,
        CancellationToken ct) =>
        OperatorHarness.EventuallyAsync(() => ReadUserAsync(h, name, ct), check, what, ct);

    internal static V1Condition? Condition(HipaaMongoUserResource user, string type) =>
        user.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    internal static Task AnnotateAsync(OperatorHarness h, string name, string value, CancellationToken ct) => AnnotateAsync(h.Client, name, value, ct);

    internal static Task AnnotateAsync(Kubernetes client, string name, string value, CancellationToken ct)
    {
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["test/poke"] = value } } };
        return client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            ApiGroup.Group, ApiGroup.Version, OperatorHarness.Namespace, UserApiGroup.Plural, name, cancellationToken: ct);
    }

    internal static async Task<IReadOnlyList<Corev1Event>> UserEventsAsync(OperatorHarness h, string name, CancellationToken ct) =>
        [.. (await h.Client.CoreV1.ListNamespacedEventAsync(OperatorHarness.Namespace, cancellationToken: ct)).Items
            .Where(e => e.InvolvedObject?.Kind == UserApiGroup.Kind && e.InvolvedObject.Name == name)];
}
