namespace HipaaMongo.LocalCluster.Hosting;

/// <summary>
/// A fault for one simulated replica-set member, as <c>POST /admin/members/faults</c> takes it:
/// <c>{"namespace","pod","fault","peers":[pod names],"delay":"30s"}</c>.
/// </summary>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="Pod">The pod whose mongod gets the fault.</param>
/// <param name="Fault">kill, hang, resume, partition, heal, slow-disk or lose-volume (the simulation decides what each does).</param>
/// <param name="Peers">For partition: the pods (same namespace) to cut this one off from.</param>
/// <param name="Delay">For slow-disk: how long after the primary each write is applied (zero ends it).</param>
public sealed record MemberFaultRequest(string Namespace, string Pod, string Fault, IReadOnlyList<string> Peers, TimeSpan Delay);

/// <summary>
/// Where member faults go. LocalCluster only parses the request and hands it on; the host sets
/// <see cref="Handler"/> once its pod simulation runs (null: the endpoint answers 400). The handler returns null when
/// done, else why not (an unknown fault or pod), which is answered as 400 with that message.
/// </summary>
public sealed class MemberFaultHook
{
    private Func<MemberFaultRequest, Task<string?>>? _handler;

    public Func<MemberFaultRequest, Task<string?>>? Handler
    {
        get => Volatile.Read(ref _handler);
        set => Volatile.Write(ref _handler, value);
    }
}
