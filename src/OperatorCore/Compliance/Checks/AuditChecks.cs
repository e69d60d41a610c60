namespace HipaaMongo.Operator.Compliance.Checks;

/// <summary>Audit controls (164.312(b); CIS 5.1, 5.2) and log redaction.</summary>
internal static class AuditChecks
{
    public static Finding AuditLogIsDisabled(Observation o) =>
        MemberCheck.Over(o, (p, at) => p.AuditEnabled switch
        {
            null => Finding.Unknown("the audit log state was not read", at),
            true => Finding.Pass($"the audit log is on (destination {Evidence.Value(o.Desired.Value("auditLog.destination"))})", at),
            false => Finding.Fail("the audit log is off", at),
        });

    // The filter is compared whole and shown as a fingerprint: long, and an auditor needs only "same or not".
    public static Finding AuditFilterDiffersFromRendered(Observation o) =>
        MemberCheck.Over(o, (p, at) => (p.AuditFilter, o.Desired.Value("auditLog.filter") as string) switch
        {
            (null, _) => Finding.Unknown("the audit filter was not read", at),
            (_, null) => Finding.Fail("the desired configuration has no audit filter", at),
            var (live, desired) when live != desired => Finding.Fail($"the audit filter ({Evidence.Fingerprint(live)}) differs from the rendered HIPAA filter ({Evidence.Fingerprint(desired)})", at),
            // The runtime audit configuration is what is audited now; a difference there fails even with the right startup filter.
            (_, _) when p.RuntimeAuditDifferences is [_, ..] runtime =>
                Finding.Fail($"the runtime audit configuration differs from the rendered one ({Evidence.List(runtime)})", at),
            (_, var desired) => Finding.Pass($"the audit filter is the rendered HIPAA filter ({Evidence.Fingerprint(desired)})", at),
        });

    public static Finding ClientLogDataIsNotRedacted(Observation o) =>
        MemberCheck.Over(o, (p, at) => Compare.Equal("redactClientLogData", p.RedactClientLogData, o.Desired.Value("security.redactClientLogData"), at));
}
