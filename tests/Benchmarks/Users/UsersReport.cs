using System.Globalization;
using System.Text;

namespace HipaaMongo.Benchmarks.Users;

/// <summary>The `users` table: each row a ratio of two measurements of the same run, and what it should be. Pure.</summary>
public static class UsersReport
{
    public static string Table(UsersProfile profile, double floorSeconds, Wave first, Wave rest, Settled settled, double baselineCpuRate)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(rest);
        ArgumentNullException.ThrowIfNull(settled);
        var text = new StringBuilder();
        text.AppendLine(Invariant($"| users ({profile.Name}: {profile.Users} over {profile.Sets} sets) | value | ratio | goal |"));
        text.AppendLine("|---|---|---|---|");
        text.AppendLine(Invariant($"| time to Ready per user, at scale vs a tenth | {rest.MillisecondsPerUser:F0} ms vs {first.MillisecondsPerUser:F0} ms | {rest.MillisecondsPerUser / first.MillisecondsPerUser:F2}x | about 1x (linear) |"));
        text.AppendLine(Invariant($"| first wave vs the floor (Secret + createUser, separate client) | {first.Seconds:F1} s vs {floorSeconds:F1} s | {first.Seconds / floorSeconds:F2}x | a small multiple |"));
        text.AppendLine(Invariant($"| operator CPU per user created, at scale vs a tenth | {rest.CpuSeconds * 1000 / rest.Users:F0} ms vs {first.CpuSeconds * 1000 / first.Users:F0} ms | {rest.CpuSeconds / rest.Users / (first.CpuSeconds / first.Users):F2}x | about 1x |"));
        text.AppendLine(Invariant($"| writes in the settled state ({settled.Seconds:F0} s, every user checked) | {settled.Writes} | - | 0 |"));
        text.AppendLine(Invariant($"| settled operator CPU, with the users vs the same sets without | {settled.CpuRate * 1000:F0} vs {baselineCpuRate * 1000:F0} ms/s | {settled.CpuRate / baselineCpuRate:F2}x | - |"));
        return text.ToString();
    }

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
