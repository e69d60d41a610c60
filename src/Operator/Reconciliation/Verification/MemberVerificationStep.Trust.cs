using HipaaMongo.ControllerRuntime.Events;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Members;

namespace HipaaMongo.Operator.Reconciliation.Verification;

/// <summary>
/// A CA change, the members' side (docs/certificates.md): while the member certificate is still on the previous CA,
/// each member must trust the current one before any member serves a certificate of it. mongod reads net.tls.CAFile
/// at start and on rotateCertificates only, and no command shows which CAs it holds; so the operator asks each member
/// to rotate with a probe identity of the current CA: the member that accepts it trusts that CA. One that refuses it
/// is rotated with the member certificate (__system under x.509 cluster auth, the identity every member trusts at this
/// stage), so that it re-reads the bundle the kubelet has written meanwhile; the next verification asks again.
/// </summary>
public sealed partial class MemberVerificationStep
{
    private async Task<(int Accepted, int Of)?> LoadTrustAsync(HipaaMongoResource resource, MemberPods pods, List<MemberVerification> results,
        LoadedCredentials loaded, CancellationToken ct)
    {
        if (loaded.Credentials is not { Member: { } member } creds || loaded.Ca?.StaleLeaves.Contains(Names.MemberSecret(resource.Metadata.Name)) != true)
        {
            return null;
        }
        if (loaded.Probe is not { } probe)
        {
            return (0, resource.Spec.Members); // the probe's certificate is not issued yet
        }
        var accepted = 0;
        foreach (var read in results.Where(r => r.Reachable))
        {
            var target = pods.Targets.First(t => t.PodName == read.PodName);
            var asProbe = new MemberCredentials(creds.TrustedCa, probe, creds.Verifier, null);
            if ((await verifier.RotateCertificatesAsync(target, asProbe, ct)).Rotated)
            {
                accepted++;
                continue;
            }
            var asMember = new MemberCredentials(creds.TrustedCa, member, creds.Verifier, member);
            var reload = await verifier.RotateCertificatesAsync(target, asMember, ct);
            if (reload.Rotated)
            {
                await events.RecordAsync(resource, EventRecorder.Normal, EventReasons.CaTrustLoaded,
                    $"rotateCertificates on {read.PodName} so that it reads the trust bundle {Names.CaBundle(resource.Metadata.Name)} (it does not accept the current CA yet)", ct);
            }
        }
        return (accepted, resource.Spec.Members);
    }
}
