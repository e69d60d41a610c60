namespace HipaaMongo.ControllerRuntime;

/// <summary>Anchors the assembly for tests and reflection.</summary>
public static class AssemblyMarker;
