namespace HipaaMongo.ApiMachinery;

/// <summary>Anchors the assembly for tests and reflection.</summary>
public static class AssemblyMarker;
