using System.Runtime.Versioning;
using HipaaMongo.MongodSimulator.Config;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>
/// Expansion blocks read as mongod reads them with --configExpand (options_parser.cpp, docs/mongod-simulator.md):
/// the command runs, its output is trimmed and typed by the option, and nothing runs without the flag.
/// </summary>
public sealed class ConfigExpandTests : IDisposable
{
    private static readonly SimulatorProfile Psmdb = new(Edition.Psmdb);
    private readonly string _dir = Directory.CreateTempSubdirectory("mongodsim-expand").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Secret(string content)
    {
        var path = Path.Combine(_dir, "password");
        File.WriteAllText(path, content);
        return path;
    }

    private static string LdapPassword(string block) =>
        $"security:\n  ldap:\n    servers: ldap.example.org:636\n    bind:\n      queryUser: cn=q\n      queryPassword:\n{block}";

    private static readonly string[] Exec = ["mongod", "--config", "/etc/mongod.conf", "--configExpand", "exec"];

    [Fact]
    public void Exec_block_reads_the_commands_output_trimmed_and_the_report_redacts_it()
    {
        var secret = Secret("s3cret\n");
        var yaml = LdapPassword($"        __exec: \"cat {secret}\"\n        type: string\n        trim: whitespace\n");

        var config = MongodConfig.Parse(yaml, Psmdb, "/etc/mongod.conf", Exec);

        Assert.Equal("s3cret", config.GetString("security.ldap.bind.queryPassword"));
        Assert.Equal("<password>", config.RedactedReport()["security"]["ldap"]["bind"]["queryPassword"].AsString);
        Assert.DoesNotContain("s3cret", config.RedactedReport().ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_trim_the_output_is_kept_as_the_command_wrote_it()
    {
        var secret = Secret("s3cret\n");

        var config = MongodConfig.Parse(LdapPassword($"        __exec: \"cat {secret}\"\n"), Psmdb, null, Exec);

        Assert.Equal("s3cret\n", config.GetString("security.ldap.bind.queryPassword"));
    }

    [Fact]
    public void Output_is_typed_by_the_option_it_stands_for()
    {
        var config = MongodConfig.Parse("net:\n  port:\n    __exec: \"echo 27018\"\n    trim: whitespace\n", Psmdb, null, Exec);

        Assert.Equal(27018, config.Get("net.port")!.AsInt32);
    }

    [Fact]
    public void Exec_block_without_configExpand_is_refused_and_nothing_runs()
    {
        var marker = Path.Combine(_dir, "ran");
        var yaml = LdapPassword($"        __exec: \"touch {marker}\"\n");

        var e = Assert.Throws<MongodConfigException>(() => MongodConfig.Parse(yaml, Psmdb, null, ["mongod", "--config", "/c"]));

        Assert.Equal("security.ldap.bind.queryPassword.__exec support has not been enabled", e.Message);
        Assert.Equal(2, e.ExitCode);
        Assert.False(File.Exists(marker));
    }

    [Theory]
    [InlineData("        __exec: \"exit 3\"\n", "Failed expanding __exec section: Process returned non-zero exit code: 768")]
    [InlineData("        __exec: \"echo x\"\n        shape: round\n",
        "security.ldap.bind.queryPassword expansion block must contain only '__exec', and optionally 'type', 'trim', and/or 'digest'/'digest_key' fields")]
    [InlineData("        __exec: \"echo x\"\n        trim: all\n", "security.ldap.bind.queryPassword.trim must be either 'whitespace' or 'none'")]
    [InlineData("        __exec: \"echo x\"\n        type: yaml\n", "Specifying `type: yaml` is only permitted in top-level expansions")]
    [InlineData("        __exec: [a, b]\n", "security.ldap.bind.queryPassword.__exec must be a string")]
    [InlineData("        __exec: \"echo x\"\n        __rest: \"https://x\"\n", "security.ldap.bind.queryPassword.__rest support has not been enabled")]
    [InlineData("        __exec: \"echo x\"\n        digest: 00\n", "security.ldap.bind.queryPassword.digest requires digest_key")]
    public void Malformed_or_failing_blocks_are_refused_with_mongods_message(string block, string expected)
    {
        var e = Assert.Throws<MongodConfigException>(() => MongodConfig.Parse(LdapPassword(block), Psmdb, null, Exec));

        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void Digest_is_an_hmac_sha256_of_the_trimmed_output()
    {
        const string key = "6b6579"; // "key"
        var good = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("key"u8, "abc"u8));
        string Block(string digest) => $"        __exec: \"echo abc\"\n        trim: whitespace\n        digest: {digest}\n        digest_key: {key}\n";

        Assert.Equal("abc", MongodConfig.Parse(LdapPassword(Block(good)), Psmdb, null, Exec).GetString("security.ldap.bind.queryPassword"));
        var bad = Assert.Throws<MongodConfigException>(() => MongodConfig.Parse(LdapPassword(Block(new string('0', 64))), Psmdb, null, Exec));
        Assert.StartsWith("SHA256HMAC of config expansion", bad.Message);
    }

    [Theory]
    [InlineData("bogus", "Invalid value for --configExpand: 'bogus'")]
    [InlineData("exec,rst", "Invalid value for --configExpand: 'rst'")]
    public void ConfigExpand_values_other_than_exec_rest_none_are_refused(string value, string expected)
    {
        var e = Assert.Throws<MongodConfigException>(() => ConfigExpand.FromArgv(["mongod", "--configExpand", value]));

        Assert.Equal(expected, e.Message);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task A_config_writable_by_others_is_refused_with_exec_and_accepted_when_owner_only()
    {
        var secret = Secret("pw");
        var path = Path.Combine(_dir, "mongod.conf");
        await File.WriteAllTextAsync(path, LdapPassword($"        __exec: \"cat {secret}\"\n"), TestContext.Current.CancellationToken);
        string[] args = ["--config", path, "--configExpand", "exec", "--sim-edition", "psmdb"];

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite);
        var stderr = new StringWriter();
        Assert.Equal(2, await MongodSimCli.RunAsync(args, TextWriter.Null, stderr));
        Assert.Contains("When using --configExpand=exec, config file must be exclusively writable by current process user", stderr.ToString());

        File.SetUnixFileMode(path, UnixFileMode.UserRead);
        var config = MongodConfig.Load(path, Psmdb, ["mongod", .. args[..4]]);
        Assert.Equal("pw", config.GetString("security.ldap.bind.queryPassword"));
    }

    [Fact]
    public void Kmip_port_is_an_int_as_mongod_declares_it()
    {
        var config = MongodConfig.Parse("security:\n  kmip:\n    serverName: kmip\n    port: 5696\n", Psmdb);

        Assert.True(config.Get("security.kmip.port")!.IsInt32);
        var e = Assert.Throws<MongodConfigException>(() => MongodConfig.Parse("security:\n  kmip:\n    port: x\n", Psmdb));
        Assert.Contains("\"security.kmip.port\" as int", e.Message);
    }
}
