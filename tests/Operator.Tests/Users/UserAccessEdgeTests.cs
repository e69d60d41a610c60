using HipaaMongo.Entities;
using HipaaMongo.Entities.Validation;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Tests.Members.Edge;
using HipaaMongo.Operator.Users;
using HipaaMongo.Operator.Users.Credentials;
using HipaaMongo.Operator.Users.Edge;
using HipaaMongo.Operator.Users.Planning;
using k8s;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Tests.Users;

/// <summary>
/// The user planner and MongoUserAccessEdge against three simulated members (TLS, x.509 cluster auth, authorization
/// on, the operator bootstrapped), checked from outside with the real mongosh as each database user.
/// </summary>
[Trait(Tier.Name, Tier.Members)]
public sealed class UserAccessEdgeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 4, 0, 0, TimeSpan.Zero);
    private readonly EdgeReplicaSet _set = new();
    private readonly MongoMemberVerifier _verifier = new(EdgeReplicaSet.FastOptions, TimeProvider.System);
    private readonly MongoUserAccessEdge _edge = new(EdgeReplicaSet.FastOptions);
    private readonly Dictionary<string, string> _passwords = [];
    private readonly List<string> _journal = [];

    public async ValueTask InitializeAsync()
    {
        await _set.StartAsync();
        var boot = await _verifier.EnsureBootstrappedAsync(_set.Target, _set.Expected, _set.Credentials, TestContext.Current.CancellationToken);
        Assert.Equal(BootstrapState.Bootstrapped, boot.State);
    }

    public async ValueTask DisposeAsync()
    {
        _edge.Dispose();
        _verifier.Dispose();
        await _set.DisposeAsync();
    }

    /// <summary>One pass as the reconciler makes it: observe, plan, generate a password for a create, apply, new status.</summary>
    private async Task<UserPlan> PassAsync(HipaaMongoUserResource user, DateTimeOffset now, string? annotation = null, bool deleting = false)
    {
        var ct = TestContext.Current.CancellationToken;
        var identity = UserIdentity.For(user);
        var observed = await _edge.ObserveAsync(_set.Target, _set.Credentials, [identity.Db], [], ct);
        Assert.Null(observed.Failure);
        var decision = UserPolicy.Decide(user.Spec, new HipaaMongoSpec(), now);
        var plan = UserPlanner.Plan(new UserPlanInput(identity, user.Spec, user.Status, annotation, deleting, decision, observed.Users, now));
        var password = plan.Creation is { WithPassword: true } ? PasswordGenerator.Generate() : null;
        var outcomes = await _edge.ApplyAsync(_set.Target, _set.Credentials, plan.Ops, _ => password, ct);
        Assert.All(outcomes, o => Assert.Null(o.Error));
        _journal.AddRange(outcomes.Select(o => o.Op.Describe()));
        if (password is not null) _passwords[plan.Username!] = password;
        if (!deleting) user.Status = UserStatusPlanner.Applied(user, plan, now.UtcDateTime);
        return plan;
    }

    private Task<(int Code, string Output)> AsAsync(string username, string script) =>
        Mongosh.AsUserAsync(_set, 0, username, _passwords[username], script);

    [Fact]
    public async Task The_physician_updates_a_record_and_billing_reads_it_but_is_refused_a_delete_which_the_audit_log_names()
    {
        var physician = UserPlannerTests.Scram("physician", ("readWrite", "patients"));
        var billing = UserPlannerTests.Scram("billing", ("read", "patients"));
        await PassAsync(physician, T0);
        await PassAsync(billing, T0);

        var (code, output) = await AsAsync("physician-1", """
            const p = db.getSiblingDB('patients');
            p.records.insertOne({ _id: 'mrn-1', name: 'Ada', allergies: 'none' });
            p.records.updateOne({ _id: 'mrn-1' }, { $set: { allergies: 'penicillin' } });
            print(JSON.stringify(p.records.findOne({ _id: 'mrn-1' })));
            """);
        Assert.True(code == 0, output);
        Assert.Contains("penicillin", output, StringComparison.Ordinal);

        (code, output) = await AsAsync("billing-1", """
            const p = db.getSiblingDB('patients');
            print('found ' + p.records.countDocuments({ allergies: 'penicillin' }));
            try { p.records.deleteOne({ _id: 'mrn-1' }); print('deleted'); } catch (e) { print('refused ' + e.code); }
            """);
        Assert.True(code == 0, output);
        Assert.Contains("found 1", output, StringComparison.Ordinal);
        Assert.Contains("refused 13", output, StringComparison.Ordinal);
        Assert.DoesNotContain("deleted", output, StringComparison.Ordinal);

        var denial = Assert.Single(_set.AuditEvents(0), e => e["atype"] == "authCheck" && e["result"] == 13 && e["param"]["command"] == "delete");
        Assert.Equal("patients.records", denial["param"]["ns"].AsString);
        Assert.Equal("billing-1", denial["users"][0]["user"].AsString);
    }

    [Fact]
    public async Task A_rotation_keeps_the_old_password_for_the_grace_period_then_only_the_new_one_works_and_no_password_leaks()
    {
        var user = UserPlannerTests.Scram("physician", ("readWrite", "patients"));
        await PassAsync(user, T0);
        var rotated = await PassAsync(user, T0.AddHours(1), annotation: "2026-12-07");
        Assert.Equal("physician-2", rotated.Username);
        const string Ping = "print(db.getSiblingDB('patients').records.countDocuments({}))";
        Assert.Equal(0, (await AsAsync("physician-1", Ping)).Code);
        Assert.Equal(0, (await AsAsync("physician-2", Ping)).Code);

        var dropped = await PassAsync(user, T0.AddHours(1).AddMinutes(10), annotation: "2026-12-07");
        Assert.Equal("drop user physician-1@admin (replaced by a rotation; its grace period ended)", Assert.Single(dropped.Ops).Describe());
        var (code, output) = await AsAsync("physician-1", Ping);
        Assert.NotEqual(0, code);
        Assert.Contains("Authentication failed", output, StringComparison.Ordinal);
        Assert.Equal(0, (await AsAsync("physician-2", Ping)).Code);

        // The canaries: each generated password appears in no audit log, status, plan or journal line.
        var everywhere = string.Join("\n", Enumerable.Range(0, 3).SelectMany(i => _set.AuditEvents(i)).Select(e => e.ToJson()))
            + KubernetesJson.Serialize(user.Status) + string.Join("\n", _journal);
        Assert.Equal(2, _passwords.Count);
        Assert.All(_passwords.Values, p => Assert.DoesNotContain(p, everywhere, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_changed_externally_managed_password_is_applied_in_place_the_old_one_stops_working_and_neither_leaks()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = UserPlannerTests.Scram("billing", ("read", "patients"));
        user.Spec.Authentication.PasswordSecretRef = new SecretKeyReference { Name = "billing-password", Key = "password" };
        const string First = "canary-first-external-password-1c9e";
        const string Second = "canary-second-external-password-5b27";
        var identity = UserIdentity.For(user);

        // One pass with the Secret as it is (its resourceVersion and the password under the key), as the reconciler runs it.
        async Task<UserPlan> ExternalPassAsync(string version, string password)
        {
            var observed = await _edge.ObserveAsync(_set.Target, _set.Credentials, [identity.Db], [], ct);
            var decision = UserPolicy.Decide(user.Spec, new HipaaMongoSpec(), T0);
            var plan = UserPlanner.Plan(new UserPlanInput(identity, user.Spec, user.Status, null, false, decision, observed.Users, T0, version));
            var outcomes = await _edge.ApplyAsync(_set.Target, _set.Credentials, plan.Ops, _ => password, ct);
            Assert.All(outcomes, o => Assert.Null(o.Error));
            _journal.AddRange(outcomes.Select(o => o.Op.Describe()));
            user.Status = UserStatusPlanner.Applied(user, plan, T0.UtcDateTime);
            return plan;
        }

        const string Read = "print('found ' + db.getSiblingDB('patients').records.countDocuments({}))";
        Assert.IsType<CreateUserOp>(Assert.Single((await ExternalPassAsync("100", First)).Ops));
        Assert.Contains("found 0", (await Mongosh.AsUserAsync(_set, 0, "billing", First, Read)).Output, StringComparison.Ordinal);
        Assert.Empty((await ExternalPassAsync("100", First)).Ops);

        var changed = await ExternalPassAsync("117", Second);
        Assert.Equal("change the password of billing@admin (its password Secret changed (resourceVersion 100 to 117))",
            Assert.Single(changed.Ops).Describe());
        Assert.Equal("117", user.Status!.ExternalSecretVersion);
        var (code, output) = await Mongosh.AsUserAsync(_set, 0, "billing", First, Read);
        Assert.NotEqual(0, code);
        Assert.Contains("Authentication failed", output, StringComparison.Ordinal);
        Assert.Contains("found 0", (await Mongosh.AsUserAsync(_set, 0, "billing", Second, Read)).Output, StringComparison.Ordinal);
        Assert.Empty((await ExternalPassAsync("117", Second)).Ops);

        // mongod audits the change (passwordChanged: true) and neither password is anywhere the operator writes.
        Assert.Contains(_set.AuditEvents(0), e => e["atype"] == "updateUser" && e["param"]["user"] == "billing" && e["param"]["passwordChanged"] == true);
        var everywhere = string.Join("\n", Enumerable.Range(0, 3).SelectMany(i => _set.AuditEvents(i)).Select(e => e.ToJson()))
            + KubernetesJson.Serialize(user.Status) + string.Join("\n", _journal);
        Assert.DoesNotContain(First, everywhere, StringComparison.Ordinal);
        Assert.DoesNotContain(Second, everywhere, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_break_glass_root_grant_is_revoked_when_its_expiry_passes()
    {
        var user = UserPlannerTests.Scram("oncall", ("root", "admin"), ("read", "patients"));
        user.Spec.BreakGlass = new BreakGlassSpec { Reason = "restore after incident 4711", Expiry = T0.AddHours(1).UtcDateTime };
        await PassAsync(user, T0);
        const string Admin = "try { db.getSiblingDB('patients').dropDatabase(); print('dropped'); } catch (e) { print('refused ' + e.code); }";
        Assert.Contains("dropped", (await AsAsync("oncall-1", Admin)).Output, StringComparison.Ordinal);

        var expired = await PassAsync(user, T0.AddHours(1));
        Assert.StartsWith("revoke root@admin from oncall-1@admin (break-glass expired", Assert.Single(expired.Ops).Describe(), StringComparison.Ordinal);
        Assert.Contains("refused 13", (await AsAsync("oncall-1", Admin)).Output, StringComparison.Ordinal);
        Assert.Equal(["read@patients"], user.Status!.RolesInEffect);
    }

    [Fact]
    public async Task Reclaim_policy_delete_drops_every_version_and_retain_keeps_the_user()
    {
        var gone = UserPlannerTests.Scram("temp", ("read", "patients"));
        var kept = UserPlannerTests.Scram("archivist", ("read", "patients"));
        kept.Spec.ReclaimPolicy = UserReclaimPolicy.Retain;
        await PassAsync(gone, T0);
        await PassAsync(kept, T0);

        await PassAsync(gone, T0, deleting: true);
        await PassAsync(kept, T0, deleting: true);

        var users = await _edge.ObserveAsync(_set.Target, _set.Credentials, ["admin"], [], TestContext.Current.CancellationToken);
        Assert.DoesNotContain(users.Users, u => u.Name.StartsWith("temp-", StringComparison.Ordinal));
        Assert.Contains(users.Users, u => u.Name == "archivist-1");
    }

    [Fact]
    public async Task Roles_granted_out_of_band_are_revoked_and_a_declared_custom_role_widened_out_of_band_is_restored()
    {
        var ct = TestContext.Current.CancellationToken;
        var billing = UserPlannerTests.Scram("billing", ("read", "patients"));
        await PassAsync(billing, T0);
        var admin = _set.Client(0, _set.Pki.Operator);
        await EdgeReplicaSet.Admin(admin, new BsonDocument { { "grantRolesToUser", "billing-1" }, { "roles", new BsonArray { new BsonDocument { { "role", "readWrite" }, { "db", "patients" } } } } });
        var drift = await PassAsync(billing, T0.AddMinutes(1));
        Assert.Equal("revoke readWrite@patients from billing-1@admin (granted out of band; not declared)", Assert.Single(drift.Ops).Describe());
        Assert.Empty((await PassAsync(billing, T0.AddMinutes(2))).Ops);

        var reader = RolePlanner.FromSpec(new CustomRoleSpec
        {
            Name = "patientsReader",
            Db = "admin",
            Privileges = [new RolePrivilege { Resource = new PrivilegeResource { Db = "patients", Collection = "" }, Actions = ["find"] }],
        });
        Assert.All(await _edge.ApplyAsync(_set.Target, _set.Credentials, RolePlanner.Plan([reader], []), _ => null, ct), o => Assert.Null(o.Error));
        await EdgeReplicaSet.Admin(admin, new BsonDocument
        {
            { "updateRole", "patientsReader" },
            { "privileges", new BsonArray { new BsonDocument { { "resource", new BsonDocument { { "db", "patients" }, { "collection", "" } } }, { "actions", new BsonArray { "find", "remove" } } } } },
        });
        var observed = await _edge.ObserveAsync(_set.Target, _set.Credentials, [], ["admin"], ct);
        var restore = Assert.IsType<UpdateRoleOp>(Assert.Single(RolePlanner.Plan([reader], observed.Roles)));
        Assert.All(await _edge.ApplyAsync(_set.Target, _set.Credentials, [restore], _ => null, ct), o => Assert.Null(o.Error));
        var after = await _edge.ObserveAsync(_set.Target, _set.Credentials, [], ["admin"], ct);
        Assert.Empty(RolePlanner.Plan([reader], after.Roles));
    }
}
