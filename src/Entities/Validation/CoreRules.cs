using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace HipaaMongo.Entities.Validation;

/// <summary>Edition, version, image, members, storage, resources, deletion policy, verification.</summary>
internal static partial class CoreRules
{
    public const string DowngradeReason = "downgrades need a feature-compatibility rollback done by hand";
    public const string DowngradeMessage = "version downgrade to an earlier release series is refused: " + DowngradeReason;
    public const string ShrinkMessage = "storage.size cannot shrink";

    public static void Check(HipaaMongoSpec spec, HipaaMongoSpec? old, ErrorList errors)
    {
        CheckEdition(spec, old, errors);
        CheckVersion(spec.Version, old?.Version, errors);
        if (spec.Image is not null)
            errors.Check(ImageRegex().IsMatch(spec.Image) && spec.Image.Length <= 512, "spec.image",
                "image must be an image reference without whitespace, at most 512 characters");
        else if (spec.Edition == MongoEdition.Percona && spec.Version is { } v && VersionRegex().IsMatch(v))
            errors.Check(VendorImages.PerconaTag(v) is not null, "spec.version",
                $"no Percona Server for MongoDB build of {v} is known: name its image in spec.image " +
                $"({VendorImages.PerconaRepository} tags are X.Y.Z-B, e.g. {VendorImages.PerconaRepository}:8.0.12-4)");
        CheckMembers(spec.Members, old?.Members, errors);
        CheckStorage(spec.Storage, old?.Storage, errors);
        CheckResources(spec.Resources, errors);
        errors.Check(Enum.IsDefined(spec.DeletionPolicy), "spec.deletionPolicy", "deletionPolicy must be Retain or Delete");
        CheckVerification(spec.Verification, errors);
    }

    private static void CheckEdition(HipaaMongoSpec spec, HipaaMongoSpec? old, ErrorList errors)
    {
        if (!errors.Check(Enum.IsDefined(spec.Edition), "spec.edition", "edition must be Enterprise or Percona")) return;
        if (old is not null)
            errors.Check(spec.Edition == old.Edition, "spec.edition",
                "edition is immutable: migrate the data to a new HipaaMongo instead");
    }

    private static void CheckVersion(string? version, string? oldVersion, ErrorList errors)
    {
        if (!errors.Check(version is not null && VersionRegex().IsMatch(version), "spec.version",
                "version must be 7.0.x or 8.0.x (e.g. 8.0.4)")) return;
        if (oldVersion is null || !VersionRegex().IsMatch(oldVersion)) return;
        var (major, oldMajor) = (MajorOf(version!), MajorOf(oldVersion));
        errors.Check(major >= oldMajor, "spec.version",
            $"version downgrade from {oldVersion} to {version} is refused: {DowngradeReason}");
    }

    private static int MajorOf(string version) =>
        int.Parse(version.AsSpan(0, version.IndexOf('.', StringComparison.Ordinal)), CultureInfo.InvariantCulture);

    private static void CheckMembers(int members, int? oldMembers, ErrorList errors)
    {
        if (!errors.Check(members is 3 or 5 or 7, "spec.members", "members must be 3, 5 or 7")) return;
        if (oldMembers is { } before)
            errors.Check(Math.Abs(members - before) <= 2, "spec.members",
                "members change by one step at a time (3 -> 5 -> 7, or back)");
    }

    private static void CheckStorage(StorageSpec? storage, StorageSpec? old, ErrorList errors)
    {
        if (!errors.Check(storage is not null, "spec.storage", "storage is required")) return;
        if (CheckQuantity(storage!.Size, "spec.storage.size", "storage.size", required: true, errors) is { } size)
        {
            errors.Check(size >= OneGi, "spec.storage.size", "storage.size must be at least 1Gi");
            if (old is not null && ApiMachinery.Quantity.TryParse(old.Size, out var oldSize))
                errors.Check(size >= oldSize, "spec.storage.size",
                    $"{ShrinkMessage} (from {old.Size} to {storage.Size})");
        }

        if (storage.StorageClassName is { } className)
            errors.Check(Names.IsDnsSubdomain(className), "spec.storage.storageClassName",
                "storageClassName must be a DNS subdomain name (lowercase letters, digits, '-' and '.')");
        if (old is not null)
            errors.Check(storage.StorageClassName == old.StorageClassName, "spec.storage.storageClassName",
                "storageClassName is immutable");
    }

    // In nano units, as ApiMachinery.Quantity reads every quantity.
    private static readonly BigInteger OneGi = BigInteger.Pow(1024, 3) * 1_000_000_000;

    private static void CheckResources(ComputeResources? resources, ErrorList errors)
    {
        if (resources is null) return;
        var requestCpu = CheckQuantity(resources.Requests?.Cpu, "spec.resources.requests.cpu", "cpu", false, errors);
        var requestMemory = CheckQuantity(resources.Requests?.Memory, "spec.resources.requests.memory", "memory", false, errors);
        var limitCpu = CheckQuantity(resources.Limits?.Cpu, "spec.resources.limits.cpu", "cpu", false, errors);
        var limitMemory = CheckQuantity(resources.Limits?.Memory, "spec.resources.limits.memory", "memory", false, errors);
        if (requestCpu is { } rc && limitCpu is { } lc)
            errors.Check(lc >= rc, "spec.resources.limits.cpu", "limits.cpu must be at least requests.cpu");
        if (requestMemory is { } rm && limitMemory is { } lm)
            errors.Check(lm >= rm, "spec.resources.limits.memory", "limits.memory must be at least requests.memory");
    }

    /// <summary>Checks a quantity field; returns its value when present and valid.</summary>
    private static BigInteger? CheckQuantity(string? text, string path, string name, bool required, ErrorList errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            if (required) errors.Add(path, $"{name} is required");
            return null;
        }

        if (!ApiMachinery.Quantity.TryParse(text, out var value))
        {
            errors.Add(path, $"{name} must be a Kubernetes quantity such as 50Gi or 500m");
            return null;
        }

        return errors.Check(value > 0, path, $"{name} must be greater than zero") ? value : null;
    }

    private static void CheckVerification(VerificationSpec? verification, ErrorList errors)
    {
        if (verification is null) return;
        errors.Check(verification.IntervalSeconds is >= VerificationSpec.MinIntervalSeconds and <= VerificationSpec.MaxIntervalSeconds,
            "spec.verification.intervalSeconds", "intervalSeconds must be between 10 and 3600");
    }

    [GeneratedRegex(ValidationPatterns.Version)]
    private static partial Regex VersionRegex();

    [GeneratedRegex(ValidationPatterns.Image)]
    private static partial Regex ImageRegex();
}
