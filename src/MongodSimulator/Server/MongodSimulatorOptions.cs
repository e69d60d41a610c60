using System.Net;
using HipaaMongo.MongodSimulator.Auth;
using HipaaMongo.MongodSimulator.Config;
using HipaaMongo.MongodSimulator.Tls;

namespace HipaaMongo.MongodSimulator.Server;

/// <summary>How to start one simulated mongod in-process.</summary>
public sealed class MongodSimulatorOptions
{
    /// <summary>The parsed mongod.conf (MongodConfig.Load / Parse).</summary>
    public required MongodConfig Config { get; init; }

    public SimulatorProfile Profile { get; init; } = new();

    /// <summary>Overrides net.bindIp; default: net.bindIpAll ⇒ any, else the first net.bindIp address (localhost ⇒ loopback).</summary>
    public IPAddress? BindAddress { get; init; }

    /// <summary>Overrides net.port; 0 picks a free port.</summary>
    public int? Port { get; init; }

    /// <summary>Certificates to serve instead of loading net.tls.certificateKeyFile/CAFile (rotateCertificates still reads the paths).</summary>
    public ServerCertificates? Certificates { get; init; }

    /// <summary>Users present at start (as if restored from admin.system.users).</summary>
    public IReadOnlyList<SimUserSpec> InitialUsers { get; init; } = [];

    /// <summary>Names clients dial ("pod-0.rs0-hs.ns.svc:27017"); the first is hello.me. localhost:PORT is always added.</summary>
    public IReadOnlyList<string> AdvertisedHosts { get; init; } = [];

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The network the replica-set peers are found on (null: <see cref="SimulatedNetwork.Default"/>).</summary>
    public SimulatedNetwork? Network { get; init; }

    /// <summary>How long an initial sync takes once a heartbeat brings the config to an empty member (fault: slow sync).</summary>
    public TimeSpan InitialSyncDelay { get; init; }

    /// <summary>
    /// Whether a config with enableEncryption and security.kmip.* dials its KMIP server at start-up, as mongod does
    /// (default), or only parses the options (<see cref="KmipMode.NotSimulated"/>: for simulated clusters that run no
    /// KMIP server; the member then reports no key id).
    /// </summary>
    public KmipMode Kmip { get; init; } = KmipMode.Dial;

    /// <summary>Where a KMIP server name is reached (a simulated cluster's DNS); null: the system's DNS.</summary>
    public Encryption.KmipAddressResolver? KmipResolver { get; init; }

    /// <summary>
    /// Whether PLAIN on $external authenticates against the LDAP servers of security.ldap.* (default), or LDAP is
    /// only parsed (<see cref="LdapMode.NotSimulated"/>: for simulated clusters that run no directory; PLAIN is then
    /// refused as a mechanism that is not available).
    /// </summary>
    public LdapMode Ldap { get; init; } = LdapMode.Dial;

    /// <summary>Where an LDAP server name is reached (a simulated cluster's DNS); null: the system's DNS.</summary>
    public Auth.Ldap.LdapAddressResolver? LdapResolver { get; init; }

    /// <summary>The ldap.conf settings to use instead of reading <see cref="LdapConfFile"/> (a simulated pod's, its paths mapped).</summary>
    public Auth.Ldap.LdapClientConf? LdapClient { get; init; }

    /// <summary>The ldap.conf libldap reads (TLS_CACERT, TLS_REQCERT): by default the file LDAPCONF names, as libldap reads it.</summary>
    public string? LdapConfFile { get; init; } = Environment.GetEnvironmentVariable("LDAPCONF");

    /// <summary>Receives mongod-style JSON log lines; null = silent.</summary>
    public TextWriter? Log { get; init; }
}

/// <summary>Whether the simulator speaks LDAP to a directory.</summary>
public enum LdapMode
{
    Dial,
    NotSimulated,
}

/// <summary>Whether the simulator speaks KMIP at start-up.</summary>
public enum KmipMode
{
    Dial,
    NotSimulated,
}
