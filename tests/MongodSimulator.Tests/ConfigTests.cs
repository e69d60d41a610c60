using HipaaMongo.MongodSimulator.Config;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>mongod-sim refuses the configurations mongod refuses, with a non-zero exit and mongod's message.</summary>
public sealed class ConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mongodsim-cfg").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("bogus: 1\n", "Unrecognized option: bogus")]
    [InlineData("net:\n  tls:\n    mode: requireTLS\n", "need tlsCertificateKeyFile or certificateSelector when TLS is enabled")]
    [InlineData("net:\n  tls:\n    mode: disabled\n    disabledProtocols: TLS1_0, TLS1_1\n", "Unrecognized disabledProtocols")]
    [InlineData("setParameter:\n  tlsMode: requireTLS\n", "Cannot use --setParameter to set \"tlsMode\" at startup")]
    [InlineData("setParameter:\n  noSuchParameter: 1\n", "Illegal --setParameter parameter: \"noSuchParameter\"")]
    [InlineData("net:\n  port: many\n", "Error parsing option \"net.port\" as int")]
    [InlineData("security:\n  clusterAuthMode: x509\n", "need to enable TLS")]
    [InlineData("auditLog:\n  destination: file\n", "auditLog.path must be specified")]
    [InlineData("net: [1, 2\n", "Error parsing YAML config file")]
    public async Task Executable_exits_non_zero_with_mongods_message(string yaml, string expected)
    {
        var path = Path.Combine(_dir, "mongod.conf");
        await File.WriteAllTextAsync(path, yaml, TestContext.Current.CancellationToken);
        var stderr = new StringWriter();

        var code = await MongodSimCli.RunAsync(["--config", path], TextWriter.Null, stderr);

        Assert.NotEqual(0, code);
        Assert.Contains(expected, stderr.ToString());
    }

    [Fact]
    public void Enterprise_only_option_is_unrecognized_on_community()
    {
        var yaml = "security:\n  enableEncryption: true\n  encryptionKeyFile: /k\n";

        var community = Assert.Throws<MongodConfigException>(() => MongodConfig.Parse(yaml, new SimulatorProfile(Edition.Community)));
        var enterprise = MongodConfig.Parse(yaml, new SimulatorProfile(Edition.Enterprise));

        Assert.Contains("Unrecognized option: security.enableEncryption", community.Message);
        Assert.True(enterprise.Parsed["security"]["enableEncryption"].AsBoolean);
    }

    [Fact]
    public void Ssl_names_are_canonicalised_to_tls_names()
    {
        var yaml = "net:\n  ssl:\n    mode: requireSSL\n    PEMKeyFile: /etc/k.pem\n";

        var config = MongodConfig.Parse(yaml, new SimulatorProfile());

        Assert.Equal("requireTLS", config.Parsed["net"]["tls"]["mode"].AsString);
        Assert.Equal("/etc/k.pem", config.Parsed["net"]["tls"]["certificateKeyFile"].AsString);
    }

    [Fact]
    public void Reference_configuration_of_secure_baseline_8_1_is_accepted()
    {
        const string yaml = """
            storage:
              dbPath: /data/db
            net:
              port: 27017
              bindIpAll: true
              tls:
                mode: requireTLS
                certificateKeyFile: /etc/mongodb/tls/tls-combined.pem
                CAFile: /etc/mongodb/tls/ca.crt
                allowConnectionsWithoutCertificates: false
                disabledProtocols: TLS1_0,TLS1_1
            security:
              authorization: enabled
              clusterAuthMode: x509
              javascriptEnabled: false
              redactClientLogData: true
              enableEncryption: true
              encryptionCipherMode: AES256-GCM
              kmip:
                serverName: kmip-a.example.com,kmip-b.example.com
                port: "5696"
                serverCAFile: /etc/mongodb/kmip/ca.crt
                clientCertificateFile: /etc/mongodb/kmip/client-combined.pem
                connectRetries: 3
                connectTimeoutMS: 5000
                activateKeys: true
                keyStatePollingSeconds: 900
            auditLog:
              destination: file
              format: JSON
              path: /data/db/audit/auditLog.json
              filter: '{ atype: { $in: ["authenticate", "authCheck"] } }'
            operationProfiling:
              mode: "off"
            replication:
              replSetName: rs0
            setParameter:
              enableLocalhostAuthBypass: false
              authenticationMechanisms: SCRAM-SHA-256
              auditAuthorizationSuccess: false
              tlsX509ExpirationWarningThresholdDays: 30
            """;

        var config = MongodConfig.Parse(yaml, new SimulatorProfile(Edition.Enterprise), "/etc/mongod.conf");

        Assert.Equal("off", config.ProfileMode);
        Assert.Equal("rs0", config.ReplSetName);
        Assert.Equal(3, config.Parsed["security"]["kmip"]["connectRetries"].AsInt32);
        Assert.Equal("/etc/mongod.conf", config.Parsed["config"].AsString);
    }
}
