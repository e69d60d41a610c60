using BenchmarkDotNet.Running;
using HipaaMongo.Benchmarks.Drift;
using HipaaMongo.Benchmarks.Members;
using HipaaMongo.Benchmarks.Micro;
using HipaaMongo.Benchmarks.Scale;

// `scale [--quick]`, `drift [--quick]`, `members [--quick]`, `rollout [--quick]` and `users [--quick]` run the live-server harnesses; `micro [--quick] <BenchmarkDotNet args>` (or no verb) goes
// to BenchmarkDotNet's switcher, so its own flags (--filter *, --list flat) keep working. --quick is ours:
// BenchmarkDotNet's --job flag does not replace the in-process job the config must set.
if (args.Length > 0 && args[0] == "scale")
{
    return await ScaleHarness.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "drift")
{
    return await DriftHarness.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "footprint")
{
    return await HipaaMongo.Benchmarks.Footprint.FootprintHarness.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "users")
{
    return await HipaaMongo.Benchmarks.Users.UsersHarness.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "rollout")
{
    return await HipaaMongo.Benchmarks.Rollout.RollingRestartHarness.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "members")
{
    return await MembersHarness.RunAsync(args[1..]);
}

var rest = args.Length > 0 && args[0] == "micro" ? args[1..] : args;
var quick = rest.Contains("--quick");
rest = [.. rest.Where(a => a != "--quick")];
BenchmarkSwitcher.FromAssembly(typeof(HotPathBenchmarks).Assembly).Run(rest, MicroConfig.Create(quick));
return 0;
