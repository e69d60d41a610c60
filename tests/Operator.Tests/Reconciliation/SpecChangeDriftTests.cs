using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using HipaaMongo.LocalCluster.Hosting;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>
/// An out-of-band change that lands together with a spec change is still reported: the pass that applies the new
/// spec reverts it and says so, instead of passing it off as part of the spec change.
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class SpecChangeDriftTests
{
    private static readonly string[] Blockers = ["busy-a", "busy-b"];

    [Fact(Timeout = 90_000)]
    public async Task Deletion_made_while_the_spec_changes_is_reported_by_the_pass_that_applies_the_spec()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        foreach (var name in Blockers)
        {
            await h.CreateAsync(Named(name), ct);
        }
        await WaitSettledAsync(h, OperatorHarness.Name, ct);
        foreach (var name in Blockers)
        {
            await WaitSettledAsync(h, name, ct);
        }

        // Both workers (the harness runs two) are held in a slow status write of another resource, so the deletion
        // and the spec change below both wait for one pass of phi-db.
        var held = new List<Fault>();
        foreach (var name in Blockers)
        {
            // The spec is replaced (update), so the held patch is the operator's status write of the new generation.
            held.Add(new Fault("patch", "hipaamongos", 0, Times: 1, Latency: TimeSpan.FromSeconds(8), Name: name) { Subresource = "status" });
            h.Server.Faults.Add(held[^1]);
            await ReplaceIntervalAsync(h, name, 20, ct);
        }
        await OperatorHarness.EventuallyAsync(() => Task.FromResult(held.Sum(h.Server.Faults.Remaining)), left => left == 0,
            "both workers inside their held status write", ct);
        var policy = OperatorHarness.Name + "-members";
        await h.Client.NetworkingV1.DeleteNamespacedNetworkPolicyAsync(policy, OperatorHarness.Namespace, cancellationToken: ct);
        await PatchSpecAsync(h, OperatorHarness.Name, 30, ct);

        var generation = (await h.GetResourceAsync(ct))["metadata"]!["generation"]!.GetValue<long>();
        await OperatorHarness.EventuallyAsync(() => h.GetResourceAsync(ct),
            r => r["status"]?["observedGeneration"]?.GetValue<long>() == generation, "the new generation observed", ct);
        var events = await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct),
            es => es.Any(e => e.Reason == "NetworkPolicyMissing" && e.InvolvedObject.Name == OperatorHarness.Name), "NetworkPolicyMissing Event", ct);
        Assert.Contains(events, e => e.Message.Contains($"NetworkPolicy {OperatorHarness.Namespace}/{policy}", StringComparison.Ordinal));
        // Proof that phi-db's pass could not run between the deletion and the spec change: both workers' held
        // status writes ended after the spec change (the audit trail is in order of completion). The first worker set
        // free may run phi-db's whole pass while the other held write is still in flight, so wait for both to end.
        var records = await OperatorHarness.EventuallyAsync(() => Task.FromResult(h.Server.AuditTrail.Records.ToList()),
            rs => Blockers.All(name => HeldEnd(rs, name) >= 0), "both held status writes ended", ct);
        var specChange = records.FindLastIndex(r => Is(r, OperatorHarness.Name, "patch", null));
        foreach (var name in Blockers)
        {
            var heldEnd = HeldEnd(records, name);
            Assert.True(heldEnd > specChange,
                $"{name}'s held status write (#{heldEnd}) ended after phi-db's spec change (#{specChange}); trail: {Trail(records, name)}");
        }
    }

    // The first status write of the blocker after its spec was replaced: the held one.
    private static int HeldEnd(List<AuditRecord> records, string name)
    {
        var replaced = records.FindLastIndex(r => Is(r, name, "update", null));
        return records.FindIndex(replaced + 1, r => Is(r, name, "patch", "status"));
    }

    private static string Trail(List<AuditRecord> records, string name) => string.Join(", ", records
        .Select((r, i) => (r, i))
        .Where(x => x.r.Resource == "hipaamongos" && (x.r.Name == name || x.r.Name == OperatorHarness.Name) && x.r.Verb != "get")
        .Select(x => $"#{x.i} {x.r.Time:HH:mm:ss.fff} {x.r.Name} {x.r.Verb}{(x.r.Subresource is { } s ? "/" + s : "")} {x.r.Code}"));

    private static bool Is(AuditRecord r, string name, string verb, string? subresource) =>
        r.Resource == "hipaamongos" && r.Name == name && r.Verb == verb && r.Subresource == subresource;

    private static JsonObject Named(string name)
    {
        var sample = OperatorHarness.Sample();
        sample["metadata"]!["name"] = name;
        return sample;
    }

    private static async Task PatchSpecAsync(OperatorHarness h, string name, int intervalSeconds, CancellationToken ct)
    {
        var patch = new JsonObject { ["spec"] = new JsonObject { ["verification"] = new JsonObject { ["intervalSeconds"] = intervalSeconds } } };
        await h.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            ApiGroup.Group, ApiGroup.Version, OperatorHarness.Namespace, ApiGroup.Plural, name, cancellationToken: ct);
    }

    // A PUT carries the resourceVersion read; the operator may write the resource in between, so a 409 means read again.
    private static Task<bool> ReplaceIntervalAsync(OperatorHarness h, string name, int intervalSeconds, CancellationToken ct) =>
        OperatorHarness.EventuallyAsync(async () =>
        {
            var resource = (await GetAsync(h, name, ct))!;
            resource["spec"]!["verification"] = new JsonObject { ["intervalSeconds"] = intervalSeconds };
            try
            {
                await h.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(resource, ApiGroup.Group, ApiGroup.Version,
                    OperatorHarness.Namespace, ApiGroup.Plural, name, cancellationToken: ct);
                return true;
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
            {
                return false;
            }
        }, replaced => replaced, $"{name}'s spec replaced", ct);

    private static async Task WaitSettledAsync(OperatorHarness h, string name, CancellationToken ct) =>
        await OperatorHarness.EventuallyAsync(() => GetAsync(h, name, ct),
            r => r?["status"]?["conditions"] is JsonArray conditions
                && conditions.Any(c => c?["type"]?.GetValue<string>() == ConditionTypes.NetworkIsolated && c["status"]?.GetValue<string>() == "True"),
            $"{name} settled", ct);

    private static async Task<JsonObject?> GetAsync(OperatorHarness h, string name, CancellationToken ct)
    {
        var obj = await h.Client.CustomObjects.GetNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, OperatorHarness.Namespace,
            ApiGroup.Plural, name, ct);
        return JsonNode.Parse(((System.Text.Json.JsonElement)obj).GetRawText())!.AsObject();
    }
}
