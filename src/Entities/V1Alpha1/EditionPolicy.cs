namespace HipaaMongo.Entities;

/// <summary>Why some editions are refused; one text shared by the CRD rule, the validator and the YAML parser.</summary>
public static class EditionPolicy
{
    public const string Community = "Community";

    public const string CommunityRefusedMessage =
        "edition Community is refused: it cannot meet HIPAA 164.312(b) audit controls (no audit log) " +
        "or 164.312(a)(2)(iv) encryption (no encryption at rest); use Enterprise or Percona";
}
