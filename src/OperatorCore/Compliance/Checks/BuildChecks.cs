namespace HipaaMongo.Operator.Compliance.Checks;

/// <summary>The build a member runs, as it reports it (buildInfo), against spec.version and spec.edition.</summary>
internal static class BuildChecks
{
    // spec.image may name any image: every other check assumes the declared server (Percona's KMIP status, Enterprise's
    // audit), so a member reporting another version or edition is never accepted.
    public static Finding BuildDiffersFromDeclared(Observation o) =>
        MemberCheck.Over(o, (p, at) => p.BuildDifferences switch
        {
            null => Finding.Unknown("buildInfo was not read", at),
            [] => Finding.Pass("run the declared version and edition", at),
            var differences => Finding.Fail(Evidence.List(differences), at),
        });
}
