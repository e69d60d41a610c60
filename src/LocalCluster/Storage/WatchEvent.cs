using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Storage;

/// <summary>A stored change. Objects are never mutated after they are recorded.</summary>
public sealed record WatchEvent(long ResourceVersion, string StoreKey, string Type, JsonObject Object, JsonObject? Old);
