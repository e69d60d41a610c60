using System.Globalization;
using HipaaMongo.Entities;

namespace HipaaMongo.Operator.Users.Planning;

/// <summary>
/// How a HipaaMongoUser is named in mongod. x.509: the certificate subject in $external, one version (cert-manager
/// renews the key under the same subject). Generated SCRAM: admin, versioned as base-N so a rotation is a new user.
/// Externally managed SCRAM: admin, the base name, never versioned.
/// </summary>
public sealed record UserIdentity(string Db, string BaseName, bool Versioned, bool WithPassword, TimeSpan? RotateEvery, TimeSpan GracePeriod)
{
    public const string UsersOuSuffix = "-users";

    public string NameAt(int version) => Versioned ? $"{BaseName}-{version.ToString(CultureInfo.InvariantCulture)}" : BaseName;

    /// <summary>The version a user name carries, or null when it is not a version of this user.</summary>
    public int? VersionOf(string name)
    {
        if (!Versioned) return name == BaseName ? 1 : null;
        var prefix = BaseName + "-";
        return name.StartsWith(prefix, StringComparison.Ordinal)
               && int.TryParse(name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : null;
    }

    /// <summary>The x.509 subject of a user certificate, RFC 2253 order as mongod prints it (most specific first).</summary>
    public static string X509Subject(string username, string cluster) =>
        $"CN={username},OU=mongodb-{cluster}{UsersOuSuffix},O=hipaa-mongo";

    public static UserIdentity For(HipaaMongoUserResource user)
    {
        var spec = user.Spec;
        var name = spec.Username ?? user.Metadata.Name;
        var auth = spec.Authentication ?? new UserAuthentication();
        if (auth.Type == UserAuthenticationType.X509)
            return new("$external", X509Subject(name, spec.HipaaMongoRef.Name), false, false, null, TimeSpan.Zero);
        if (auth.PasswordSecretRef is not null)
            return new("admin", name, false, true, null, TimeSpan.Zero);
        var rotation = auth.Rotation ?? new RotationSpec();
        var period = Duration(rotation.Period, TimeSpan.FromDays(90));
        var before = Duration(rotation.RenewBefore, TimeSpan.Zero);
        return new("admin", name, true, true, period - before, Duration(rotation.GracePeriod, TimeSpan.FromMinutes(10)));
    }

    private static TimeSpan Duration(string? text, TimeSpan fallback) =>
        ApiMachinery.Time.GoDuration.TryParseUnsigned(text, out var d) ? d : fallback;
}
