using System.Net;
using HipaaMongo.MongodSimulator.Config;
using MongoDB.Bson;
using MongoDB.Bson.IO;

namespace HipaaMongo.MongodSimulator.Audit;

/// <summary>
/// The audit log: JSON lines in the mongo schema ({atype, ts, uuid, local, remote, users, roles, param, result})
/// written to auditLog.path (destination file) or stdout (console). Filter: top-level equality and $in only.
/// </summary>
public sealed class AuditLog : IDisposable
{
    private static readonly JsonWriterSettings Json = new() { OutputMode = JsonOutputMode.RelaxedExtendedJson, Indent = false };
    private readonly StreamWriter? _writer;
    private readonly BsonDocument? _filter;
    private readonly Lock _gate = new();

    public AuditLog(MongodConfig config)
    {
        if (config.AuditDestination is null)
        {
            return;
        }

        if (config.AuditFilter is { } f)
        {
            try
            {
                _filter = BsonDocument.Parse(f);
            }
            catch (FormatException)
            {
                throw new MongodConfigException("Failed to parse auditLog.filter", 2);
            }
        }

        if (config.AuditDestination == "file" && config.AuditPath is { } path)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
                _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new MongodConfigException($"Could not open audit log file {path}: {e.Message}", 1);
            }
        }
        else if (config.AuditDestination == "console")
        {
            _writer = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        }
    }

    public bool Enabled => _writer is not null;

    public void Write(string atype, IPEndPoint? local, IPEndPoint? remote, BsonArray users, BsonArray roles, BsonDocument param, int result)
    {
        if (_writer is null)
        {
            return;
        }

        var doc = new BsonDocument
        {
            { "atype", atype },
            { "ts", new BsonDocument("$date", DateTime.UtcNow.ToString("O")) },
            { "uuid", new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard) },
            { "local", Endpoint(local) },
            { "remote", Endpoint(remote) },
            { "users", users },
            { "roles", roles },
            { "param", param },
            { "result", result },
        };
        if (_filter is not null && !AuditFilter.Matches(_filter, doc))
        {
            return;
        }

        doc["ts"] = DateTime.UtcNow;
        lock (_gate)
        {
            _writer.WriteLine(doc.ToJson(Json));
        }
    }

    public void Dispose() => _writer?.Dispose();

    private static BsonDocument Endpoint(IPEndPoint? ep) =>
        ep is null ? new BsonDocument() : new BsonDocument { { "ip", ep.Address.ToString() }, { "port", ep.Port } };
}
