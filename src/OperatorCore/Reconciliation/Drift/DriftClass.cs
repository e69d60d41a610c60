namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>What kind of out-of-band change a finding is; one Event reason and one safeguard each.</summary>
public enum DriftClass
{
    /// <summary>An owned object is gone (live == null).</summary>
    ObjectMissing,

    /// <summary>A NetworkPolicy we render is gone.</summary>
    NetworkPolicyMissing,

    /// <summary>A container, init container or native sidecar that we did not render.</summary>
    ContainerAdded,

    /// <summary>A container we render is gone.</summary>
    ContainerRemoved,

    /// <summary>securityContext.privileged no longer false.</summary>
    PrivilegedEnabled,

    /// <summary>hostNetwork, hostPID, hostIPC, hostUsers or a hostPort.</summary>
    HostNamespace,

    /// <summary>A hostPath volume.</summary>
    HostPathVolume,

    /// <summary>A pod or container securityContext setting weaker than rendered.</summary>
    SecurityContextWeakened,

    /// <summary>The member TLS volume or its mount removed.</summary>
    TlsVolumeRemoved,

    /// <summary>The member TLS volume or its mount pointed elsewhere or made writable.</summary>
    TlsVolumeChanged,

    /// <summary>A volume or mount we did not render.</summary>
    VolumeAdded,

    /// <summary>Our ConfigMap's mongod.conf (or any key the init container copies) edited, removed or added.</summary>
    ConfigChanged,

    /// <summary>A field of one of our NetworkPolicies' spec edited.</summary>
    NetworkPolicyChanged,

    /// <summary>A NetworkPolicy that is not ours selects our pods and allows traffic.</summary>
    ForeignNetworkPolicyOpensPods,

    /// <summary>A cert-manager Certificate or Issuer spec edited.</summary>
    CertificateChanged,

    /// <summary>A label we set changed or removed.</summary>
    LabelsChanged,

    /// <summary>An annotation we set changed or removed.</summary>
    AnnotationsChanged,

    /// <summary>An environment variable we did not render.</summary>
    EnvAdded,

    /// <summary>Any other field that differs from the render: changed, removed or added.</summary>
    FieldChanged,
}
