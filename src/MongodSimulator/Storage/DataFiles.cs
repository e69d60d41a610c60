using HipaaMongo.MongodSimulator.Config;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace HipaaMongo.MongodSimulator.Storage;

/// <summary>
/// What mongod keeps under storage.dbPath, for the simulator: one catalog file holding every durable namespace
/// (local.system.replset, local.replset.election, admin.system.users, admin.system.roles, admin.system.version)
/// as arrays of documents, and mongod.lock. A write goes to a temporary file that is flushed to disk and then
/// renamed over the catalog, so a process killed at any point leaves either the old or the new catalog, never a
/// torn one (WiredTiger's checkpoint + journal give mongod the same guarantee).
/// </summary>
internal sealed class DataFiles : IDisposable
{
    public const string CatalogName = "simulator-catalog.bson";
    private readonly Lock _gate = new();
    private readonly FileStream _lock;
    private byte[] _written = [];

    private DataFiles(string directory, FileStream lockFile)
    {
        Directory = directory;
        _lock = lockFile;
    }

    public string Directory { get; }

    /// <summary>
    /// Opens storage.dbPath (null when the config names none: the state then lives in memory only). Like mongod,
    /// a missing directory refuses start-up (exit 100, NonExistentPath) and a dbPath another running member
    /// holds refuses it too (exit 100, DBPathInUse).
    /// </summary>
    public static DataFiles? Open(MongodConfig config)
    {
        if (config.DbPath is not { } path)
        {
            return null;
        }

        if (!System.IO.Directory.Exists(path))
        {
            throw new MongodConfigException($"Data directory {path} not found. Create the missing directory or specify another path using (1) the --dbpath command line option, or (2) by adding the 'storage.dbPath' option in the configuration file.", 100);
        }

        try
        {
            var lockFile = new FileStream(Path.Combine(path, "mongod.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new DataFiles(path, lockFile);
        }
        catch (IOException)
        {
            throw new MongodConfigException($"Unable to lock the lock file: {Path.Combine(path, "mongod.lock")}. Another mongod instance is already running on the {path} directory", 100);
        }
    }

    /// <summary>The catalog as last written, or null on an empty dbPath (a new member, or a lost volume).</summary>
    public BsonDocument? Read()
    {
        var file = Path.Combine(Directory, CatalogName);
        if (!File.Exists(file))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(file);
        lock (_gate)
        {
            _written = bytes;
        }

        return BsonSerializer.Deserialize<BsonDocument>(bytes);
    }

    /// <summary>Writes the catalog atomically (temporary file, flush to disk, rename); an unchanged catalog is not rewritten.</summary>
    public void Write(BsonDocument catalog)
    {
        var bytes = catalog.ToBson();
        lock (_gate)
        {
            if (bytes.AsSpan().SequenceEqual(_written))
            {
                return;
            }

            var file = Path.Combine(Directory, CatalogName);
            var temp = file + ".tmp";
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, file, overwrite: true);
            _written = bytes;
        }
    }

    public void Dispose() => _lock.Dispose();
}
