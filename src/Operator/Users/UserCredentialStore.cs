using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Users.Credentials;
using HipaaMongo.Operator.Users.Planning;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HipaaMongo.Operator.Users;

/// <summary>
/// The Kubernetes side of a user's credential: the Secret a SCRAM user's password and connection string live in
/// (owned by the HipaaMongoUser, so it goes with it), the cert-manager Certificate of an x.509 user, the cluster's CA,
/// and an externally managed password. Nothing read here is logged; exceptions carry no Secret data.
/// </summary>
public sealed class UserCredentialStore(IKubernetes client)
{
    /// <summary>The SCRAM user's Secret: username, password, connection string, CA.</summary>
    public static string SecretName(HipaaMongoUserResource user) => user.Metadata.Name + "-mongodb-user";

    /// <summary>
    /// The user's client certificate Secret (cert-manager). x.509 users authenticate with it; SCRAM users present it
    /// for transport only, because members require a client certificate from the cluster CA of every connection.
    /// </summary>
    public static string TlsSecretName(HipaaMongoUserResource user) => user.Metadata.Name + "-mongodb-user-tls";

    public async Task<string?> CaPemAsync(string ns, string cluster, CancellationToken ct)
    {
        var ca = await ReadAsync(ns, Names.CaSecret(cluster), ct) ?? await ReadAsync(ns, Names.MemberSecret(cluster), ct);
        return Text(ca, "ca.crt");
    }

    /// <summary>
    /// The externally managed password and the resourceVersion of its Secret (which says whether it changed without
    /// keeping any trace of the password); nulls when the Secret or its key is absent or empty.
    /// </summary>
    public async Task<(string? Password, string? Version)> ExternalPasswordAsync(HipaaMongoUserResource user, CancellationToken ct)
    {
        var reference = user.Spec.Authentication.PasswordSecretRef!;
        var secret = await ReadAsync(user.Metadata.NamespaceProperty, reference.Name, ct);
        return Text(secret, reference.Key) is { } password ? (password, secret!.Metadata?.ResourceVersion) : (null, null);
    }

    /// <summary>Writes (create or replace) the user's Secret: username, password, connection string and the CA.</summary>
    public async Task WriteScramAsync(HipaaMongoUserResource user, string username, string password, string connectionString, string caPem,
        CancellationToken ct)
    {
        var secret = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta
            {
                Name = SecretName(user),
                NamespaceProperty = user.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string>
                {
                    ["app.kubernetes.io/managed-by"] = "hipaa-mongo-operator",
                    ["hipaa.mongooperator.io/user"] = user.Metadata.Name,
                },
                OwnerReferences = [Owner(user)],
            },
            Type = "Opaque",
            Data = new Dictionary<string, byte[]>
            {
                ["username"] = Encoding.UTF8.GetBytes(username),
                ["password"] = Encoding.UTF8.GetBytes(password),
                ["connectionString"] = Encoding.UTF8.GetBytes(connectionString),
                ["ca.crt"] = Encoding.UTF8.GetBytes(caPem),
            },
        };
        try
        {
            await client.CoreV1.CreateNamespacedSecretAsync(secret, user.Metadata.NamespaceProperty, cancellationToken: ct);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            // Replace only our own Secret: one of the same name that this user does not own belongs to someone else.
            var existing = await client.CoreV1.ReadNamespacedSecretAsync(secret.Metadata.Name, user.Metadata.NamespaceProperty, cancellationToken: ct);
            if (ForeignMessage(user, existing) is { } foreign)
            {
                throw new InvalidOperationException(foreign);
            }
            await client.CoreV1.ReplaceNamespacedSecretAsync(secret, secret.Metadata.Name, user.Metadata.NamespaceProperty, cancellationToken: ct);
        }
    }

    /// <summary>
    /// Why the user's credential Secret cannot be written, read before any database change so a refusal creates no
    /// user whose password would have nowhere to go: a Secret of its name exists that this user does not own. Null
    /// when absent or owned. The message names the Secret only, never its data.
    /// </summary>
    public async Task<string?> ForeignSecretAsync(HipaaMongoUserResource user, CancellationToken ct) =>
        await ReadAsync(user.Metadata.NamespaceProperty, SecretName(user), ct) is { } existing ? ForeignMessage(user, existing) : null;

    private static string? ForeignMessage(HipaaMongoUserResource user, V1Secret existing) =>
        existing.Metadata?.OwnerReferences?.Any(o => o.Uid == user.Metadata.Uid && o.Controller == true) == true
            ? null
            : $"Secret {SecretName(user)} exists and is not owned by HipaaMongoUser {user.Metadata.Name}: refusing to overwrite it; rename or remove it";

    /// <summary>Creates the user's client Certificate from the cluster's issuer, unless it exists.</summary>
    public async Task EnsureCertificateAsync(HipaaMongoUserResource user, HipaaMongoResource cluster, string username,
        string? connectionString, CancellationToken ct)
    {
        var issuer = cluster.Spec.Tls.IssuerRef is { } given
            ? new JsonObject { ["name"] = given.Name, ["kind"] = given.Kind.ToString(), ["group"] = "cert-manager.io" }
            : new JsonObject { ["name"] = Names.CaIssuer(cluster.Metadata.Name), ["kind"] = "Issuer", ["group"] = "cert-manager.io" };
        var certificate = new JsonObject
        {
            ["apiVersion"] = "cert-manager.io/v1",
            ["kind"] = "Certificate",
            ["metadata"] = new JsonObject
            {
                ["name"] = TlsSecretName(user),
                ["namespace"] = user.Metadata.NamespaceProperty,
                ["ownerReferences"] = JsonNode.Parse(KubernetesJson.Serialize(new[] { Owner(user) })),
            },
            ["spec"] = new JsonObject
            {
                ["secretName"] = TlsSecretName(user),
                ["commonName"] = username,
                ["subject"] = new JsonObject
                {
                    ["organizations"] = new JsonArray("hipaa-mongo"),
                    ["organizationalUnits"] = new JsonArray($"mongodb-{cluster.Metadata.Name}{UserIdentity.UsersOuSuffix}"),
                },
                ["usages"] = new JsonArray("digital signature", "key encipherment", "client auth"),
                ["privateKey"] = new JsonObject { ["algorithm"] = "ECDSA", ["size"] = 384, ["encoding"] = "PKCS8", ["rotationPolicy"] = "Always" },
                ["additionalOutputFormats"] = new JsonArray(new JsonObject { ["type"] = "CombinedPEM" }),
                ["issuerRef"] = issuer,
            },
        };
        if (connectionString is not null) // x.509: the connection string holds no secret, so it rides on the Secret as an annotation
            certificate["spec"]!["secretTemplate"] = new JsonObject
            {
                ["annotations"] = new JsonObject { ["hipaa.mongooperator.io/connection-string"] = connectionString },
            };
        try
        {
            await client.CustomObjects.CreateNamespacedCustomObjectAsync(certificate, "cert-manager.io", "v1", user.Metadata.NamespaceProperty,
                "certificates", cancellationToken: ct);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            // Already there: cert-manager renews it; its subject (the user name) never changes.
        }
    }

    private static V1OwnerReference Owner(HipaaMongoUserResource user) => new()
    {
        ApiVersion = ApiGroup.ApiVersion,
        Kind = UserApiGroup.Kind,
        Name = user.Metadata.Name,
        Uid = user.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    private static string? Text(V1Secret? secret, string key) =>
        secret?.Data?.TryGetValue(key, out var bytes) == true && bytes.Length > 0 ? Encoding.UTF8.GetString(bytes) : null;

    private async Task<V1Secret?> ReadAsync(string ns, string name, CancellationToken ct)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: ct);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
