namespace HipaaMongo.Kmip.Tests;

/// <summary>Byte vectors as the KMIP specification prints them: hex pairs, with spaces and '|' between fields.</summary>
internal static class Hex
{
    public static byte[] Bytes(string spec) =>
        Convert.FromHexString(new string(spec.Where(Uri.IsHexDigit).ToArray()));

    public static string Of(byte[] bytes) => Convert.ToHexString(bytes);
}
