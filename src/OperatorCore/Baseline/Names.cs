namespace HipaaMongo.Operator.Baseline;

/// <summary>Names of every child object, derived from the resource name in one place.</summary>
public static class Names
{
    public static string StatefulSet(string name) => name;
    public static string HeadlessService(string name) => name + "-hs";
    public static string ClientService(string name) => name;
    public static string ServiceAccount(string name) => name + "-mongod";
    public static string ConfigMap(string name) => name + "-mongod-config";
    public static string DisruptionBudget(string name) => name;
    public static string SelfSignedIssuer(string name) => name + "-selfsigned";
    public static string CaCertificate(string name) => name + "-ca";
    public static string CaSecret(string name) => name + "-ca";
    public static string CaIssuer(string name) => name + "-ca";
    public static string MemberCertificate(string name) => name + "-member";
    public static string MemberSecret(string name) => name + "-member-tls";

    /// <summary>The members' trust bundle (net.tls.CAFile): the current cluster CA, and the previous one during a change.</summary>
    public static string CaBundle(string name) => name + "-ca-bundle";
    public static string KmipClientCertificate(string name) => name + "-kmip-client";
    public static string KmipClientSecret(string name) => name + "-kmip-client-tls";
    public static string Pod(string name, int ordinal) => $"{name}-{ordinal}";
}
