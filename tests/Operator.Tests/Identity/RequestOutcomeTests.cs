using System.Text;
using System.Text.Json;
using HipaaMongo.Operator.Identity;

namespace HipaaMongo.Operator.Tests.Identity;

/// <summary>A CertificateRequest's status, as cert-manager writes it (types_certificaterequest.go, util/reporter.go), read.</summary>
public class RequestOutcomeTests
{
    private static RequestOutcome Read(string status) => RequestOutcome.Read(JsonDocument.Parse($$"""{"status": {{status}}}""").RootElement);

    private static string B64(string s) => Convert.ToBase64String(Encoding.ASCII.GetBytes(s));

    [Fact]
    public void No_status_is_waiting_for_approval() =>
        Assert.Equal(new RequestOutcome(RequestState.Waiting, "not approved yet"), RequestOutcome.Read(JsonDocument.Parse("{}").RootElement));

    [Fact]
    public void Approved_and_pending_waits_with_cert_managers_message() =>
        Assert.Equal(new RequestOutcome(RequestState.Waiting, "Referenced issuer does not have a Ready status condition"), Read("""
            {"conditions": [{"type": "Approved", "status": "True", "reason": "cert-manager.io"},
                            {"type": "Ready", "status": "False", "reason": "Pending", "message": "Referenced issuer does not have a Ready status condition"}]}
            """));

    [Fact]
    public void Issued_carries_the_chain_and_the_CA()
    {
        var o = Read($$"""
            {"certificate": "{{B64("LEAF")}}", "ca": "{{B64("CA")}}",
             "conditions": [{"type": "Approved", "status": "True"}, {"type": "Ready", "status": "True", "reason": "Issued", "message": "Certificate fetched from issuer successfully"}]}
            """);
        Assert.Equal((RequestState.Issued, "LEAF", "CA"), (o.State, o.CertificatePem, o.CaPem));
    }

    [Fact]
    public void Ready_without_a_certificate_is_not_issued() =>
        Assert.Equal(RequestState.Waiting, Read("""{"conditions": [{"type": "Approved", "status": "True"}, {"type": "Ready", "status": "True", "reason": "Issued"}]}""").State);

    [Fact]
    public void Denied_gives_the_approvers_message_even_before_the_Ready_condition() =>
        Assert.Equal(new RequestOutcome(RequestState.Denied, "no policy allows it"),
            Read("""{"conditions": [{"type": "Denied", "status": "True", "reason": "policy.cert-manager.io", "message": "no policy allows it"}]}"""));

    [Fact]
    public void Failed_gives_the_issuers_message() =>
        Assert.Equal(new RequestOutcome(RequestState.Failed, "Error generating certificate template: bad CSR"), Read("""
            {"conditions": [{"type": "Approved", "status": "True"}, {"type": "Ready", "status": "False", "reason": "Failed", "message": "Error generating certificate template: bad CSR"}]}
            """));
}
