namespace HipaaMongo.Entities;

/// <summary>The API group, version and names of the HipaaMongo custom resource.</summary>
public static class ApiGroup
{
    public const string Group = "hipaa.mongooperator.io";
    public const string Version = "v1alpha1";
    public const string Kind = "HipaaMongo";
    public const string Plural = "hipaamongos";
    public const string ApiVersion = Group + "/" + Version;
}
