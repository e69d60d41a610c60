using System.Globalization;
using HipaaMongo.ClusterSimulations.CertManager;
using k8s;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Tests.CertManager;

/// <summary>
/// A tiny API for the reconcilers: stores JSON copies (so a reconciler never shares objects with the "server"),
/// bumps resourceVersion on each write, refuses stale writes with a conflict, and counts Secret writes.
/// </summary>
internal sealed class InMemoryCertManagerStore : ICertManagerStore
{
    private readonly Dictionary<string, string> _objects = [];
    private int _version;

    public int SecretWrites { get; private set; }

    public void Put<T>(string kind, T obj)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        obj.Metadata.ResourceVersion = Next();
        _objects[Key(kind, obj.Metadata.NamespaceProperty, obj.Metadata.Name)] = KubernetesJson.Serialize(obj);
    }

    public void Delete(string kind, string? ns, string name) => _objects.Remove(Key(kind, ns, name));

    public T? Get<T>(string kind, string? ns, string name)
        where T : class =>
        _objects.TryGetValue(Key(kind, ns, name), out var json) ? KubernetesJson.Deserialize<T>(json) : null;

    public Task<Certificate?> GetCertificateAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        Task.FromResult(Get<Certificate>("Certificate", @namespace, name));

    public Task<IssuerBase?> GetIssuerAsync(string kind, string? @namespace, string name, CancellationToken cancellationToken) =>
        Task.FromResult<IssuerBase?>(kind == "ClusterIssuer" ? Get<ClusterIssuer>(kind, null, name) : Get<Issuer>(kind, @namespace, name));

    public Task<V1Secret?> GetSecretAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        Task.FromResult(Get<V1Secret>("Secret", @namespace, name));

    public Task WriteSecretAsync(V1Secret secret, CancellationToken cancellationToken)
    {
        var current = Get<V1Secret>("Secret", secret.Metadata.NamespaceProperty, secret.Metadata.Name);
        CheckVersion(current?.Metadata.ResourceVersion, secret.Metadata.ResourceVersion);
        SecretWrites++;
        Put("Secret", secret);
        return Task.CompletedTask;
    }

    public Task UpdateCertificateStatusAsync(Certificate certificate, CancellationToken cancellationToken)
    {
        var current = Get<Certificate>("Certificate", certificate.Metadata.NamespaceProperty, certificate.Metadata.Name)
            ?? throw new InvalidOperationException("not found");
        CheckVersion(current.Metadata.ResourceVersion, certificate.Metadata.ResourceVersion);
        current.Status = certificate.Status; // the status subresource writes status only
        Put("Certificate", current);
        return Task.CompletedTask;
    }

    public Task UpdateIssuerStatusAsync(IssuerBase issuer, CancellationToken cancellationToken)
    {
        Put(issuer.Kind, issuer);
        return Task.CompletedTask;
    }

    private static void CheckVersion(string? current, string? sent)
    {
        if (!string.IsNullOrEmpty(sent) && current != sent)
        {
            throw new InvalidOperationException("409 Conflict: the object has been modified");
        }
    }

    private static string Key(string kind, string? ns, string? name) => $"{kind}/{ns}/{name}";

    private string Next() => (++_version).ToString(CultureInfo.InvariantCulture);
}
