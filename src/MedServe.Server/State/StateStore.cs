using System.Globalization;
using System.Text.Json;
using MedServe.Server.Configuration;
using MedServe.Server.Management;
using Microsoft.Data.Sqlite;

namespace MedServe.Server.State;

/// <summary>
/// Endpoints, deployments, key hashes and the audit log in one embedded SQLite database (WAL). The
/// schema version is SQLite's <c>user_version</c>; <see cref="Migrations"/> run in order on open, each
/// in its own transaction. Every change is one transaction, so a crash leaves the previous state.
/// With no path the database lives in memory for the life of the process.
/// </summary>
internal sealed class StateStore : IDisposable
{
    /// <summary>Schema migrations; index i takes the schema from version i to i + 1.</summary>
    internal static readonly string[] Migrations =
    [
        """
        CREATE TABLE endpoints (
            name TEXT PRIMARY KEY,
            spec TEXT NOT NULL,
            primary_hash BLOB NOT NULL, primary_sealed BLOB NOT NULL,
            secondary_hash BLOB NOT NULL, secondary_sealed BLOB NOT NULL,
            created_utc TEXT NOT NULL, updated_utc TEXT NOT NULL);
        CREATE TABLE deployments (
            endpoint TEXT NOT NULL REFERENCES endpoints(name) ON DELETE CASCADE,
            name TEXT NOT NULL,
            spec TEXT NOT NULL,
            created_utc TEXT NOT NULL, updated_utc TEXT NOT NULL,
            PRIMARY KEY (endpoint, name));
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time_utc TEXT NOT NULL, request_id TEXT NOT NULL, endpoint TEXT NOT NULL, deployment TEXT NOT NULL,
            model_name TEXT NOT NULL, model_version TEXT NOT NULL, package_sha256 TEXT NOT NULL, caller TEXT NOT NULL,
            rows INTEGER NOT NULL, status INTEGER NOT NULL, latency_ms REAL NOT NULL,
            request_sha256 TEXT NOT NULL, response_sha256 TEXT NOT NULL);
        """,
        "CREATE INDEX audit_by_endpoint_time ON audit (endpoint, time_utc);",
    ];

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    private StateStore(SqliteConnection connection, TimeProvider time, ServerSecret secret, string? path)
    {
        _connection = connection;
        _time = time;
        Secret = secret;
        Path = path;
    }

    /// <summary>The latest schema version this build writes.</summary>
    public static int CurrentSchemaVersion => Migrations.Length;

    /// <summary>The database file, or null in memory.</summary>
    public string? Path { get; }

    /// <summary>The server secret kept beside the database.</summary>
    public ServerSecret Secret { get; }

    /// <summary>The schema version of the open database.</summary>
    public int SchemaVersion
    {
        get
        {
            lock (_gate)
            {
                return ReadVersion();
            }
        }
    }

    /// <summary>
    /// The most audit records an in-memory store (no <c>--state</c>) keeps; older ones are dropped as new
    /// ones arrive, so a long-running server without a database file does not grow without bound. A file
    /// store keeps everything. <value>The default is 50 000 (about 25 MB).</value>
    /// </summary>
    internal int InMemoryAuditLimit { get; set; } = 50_000;

    private static readonly string[] AuditParameters = ["$t", "$id", "$e", "$d", "$mn", "$mv", "$ph", "$c", "$rows", "$status", "$ms", "$req", "$res"];

    // Records appended since the in-memory table was last pruned (under _gate).
    private int _auditSincePrune;

    /// <summary>Test hook: called inside a write transaction after its statements, before the commit (a throw simulates a crash mid-update).</summary>
    internal Action<string>? FaultPoint { get; set; }

    /// <summary>Opens (creating and migrating as needed) the database at <paramref name="path"/>, or an in-memory one.</summary>
    public static StateStore Open(string? path, TimeProvider time, int? migrateTo = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        SqliteConnection connection;
        ServerSecret secret;
        if (path is null)
        {
            connection = new SqliteConnection($"Data Source=file:medserve-{Guid.NewGuid():N}?mode=memory&cache=private");
            secret = ServerSecret.CreateEphemeral();
        }
        else
        {
            string full = System.IO.Path.GetFullPath(path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false }.ToString());
            secret = ServerSecret.LoadOrCreate(full + ".secret");
        }

        connection.Open();
        var store = new StateStore(connection, time, secret, path);
        try
        {
            store.Execute(path is null ? "PRAGMA foreign_keys = ON;" : "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;");
            store.Migrate(migrateTo ?? CurrentSchemaVersion);
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>The journal mode SQLite reports (<c>wal</c> for a file).</summary>
    public string JournalMode()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode;";
            return (string)command.ExecuteScalar()!;
        }
    }

    /// <summary>Every endpoint, oldest first.</summary>
    public IReadOnlyList<StoredEndpoint> LoadEndpoints()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT spec, primary_hash, primary_sealed, secondary_hash, secondary_sealed, created_utc FROM endpoints ORDER BY created_utc, name;";
            using var reader = command.ExecuteReader();
            var result = new List<StoredEndpoint>();
            while (reader.Read())
            {
                var spec = JsonSerializer.Deserialize(reader.GetString(0), ManagementJsonContext.Default.EndpointSpec)!;
                result.Add(new StoredEndpoint(spec,
                    new StoredKey((byte[])reader[1], (byte[])reader[2]),
                    new StoredKey((byte[])reader[3], (byte[])reader[4]),
                    ParseTime(reader.GetString(5))));
            }

            return result;
        }
    }

    /// <summary>Every deployment, oldest first.</summary>
    public IReadOnlyList<DeploymentSpec> LoadDeployments()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT spec FROM deployments ORDER BY created_utc, endpoint, name;";
            using var reader = command.ExecuteReader();
            var result = new List<DeploymentSpec>();
            while (reader.Read())
            {
                result.Add(JsonSerializer.Deserialize(reader.GetString(0), ManagementJsonContext.Default.DeploymentSpec)!);
            }

            return result;
        }
    }

    /// <summary>Inserts or replaces an endpoint with its keys.</summary>
    public void SaveEndpoint(EndpointSpec spec, StoredKey primary, StoredKey secondary)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string now = Now();
        InTransaction("save endpoint", tx =>
        {
            Run(tx, """
                INSERT INTO endpoints (name, spec, primary_hash, primary_sealed, secondary_hash, secondary_sealed, created_utc, updated_utc)
                VALUES ($name, $spec, $ph, $ps, $sh, $ss, $now, $now)
                ON CONFLICT (name) DO UPDATE SET spec = $spec, primary_hash = $ph, primary_sealed = $ps,
                    secondary_hash = $sh, secondary_sealed = $ss, updated_utc = $now;
                """,
                ("$name", spec.Name), ("$spec", Serialize(spec)), ("$ph", primary.Hash), ("$ps", primary.Sealed),
                ("$sh", secondary.Hash), ("$ss", secondary.Sealed), ("$now", now));
        });
    }

    /// <summary>Replaces an endpoint's spec, keeping its keys.</summary>
    public void UpdateEndpoint(EndpointSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        InTransaction("update endpoint", tx =>
            Run(tx, "UPDATE endpoints SET spec = $spec, updated_utc = $now WHERE name = $name;",
                ("$name", spec.Name), ("$spec", Serialize(spec)), ("$now", Now())));
    }

    /// <summary>Replaces one key of an endpoint; the other is untouched.</summary>
    public void SetKey(string endpoint, KeySlot slot, StoredKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string column = slot == KeySlot.Primary ? "primary" : "secondary";
        InTransaction("set key", tx =>
            Run(tx, $"UPDATE endpoints SET {column}_hash = $h, {column}_sealed = $s, updated_utc = $now WHERE name = $name;",
                ("$name", endpoint), ("$h", key.Hash), ("$s", key.Sealed), ("$now", Now())));
    }

    /// <summary>Deletes an endpoint and its deployments.</summary>
    public void DeleteEndpoint(string name) =>
        InTransaction("delete endpoint", tx =>
        {
            Run(tx, "DELETE FROM deployments WHERE endpoint = $name;", ("$name", name));
            Run(tx, "DELETE FROM endpoints WHERE name = $name;", ("$name", name));
        });

    /// <summary>Inserts or replaces a deployment.</summary>
    public void SaveDeployment(DeploymentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string now = Now();
        InTransaction("save deployment", tx =>
            Run(tx, """
                INSERT INTO deployments (endpoint, name, spec, created_utc, updated_utc) VALUES ($endpoint, $name, $spec, $now, $now)
                ON CONFLICT (endpoint, name) DO UPDATE SET spec = $spec, updated_utc = $now;
                """,
                ("$endpoint", spec.EndpointName), ("$name", spec.Name), ("$spec", Serialize(spec)), ("$now", now)));
    }

    /// <summary>Saves a deployment and its endpoint's new spec together (e.g. a deployment with all the traffic).</summary>
    public void SaveDeploymentAndEndpoint(DeploymentSpec deployment, EndpointSpec endpoint)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(endpoint);
        string now = Now();
        InTransaction("save deployment and endpoint", tx =>
        {
            Run(tx, """
                INSERT INTO deployments (endpoint, name, spec, created_utc, updated_utc) VALUES ($endpoint, $name, $spec, $now, $now)
                ON CONFLICT (endpoint, name) DO UPDATE SET spec = $spec, updated_utc = $now;
                """,
                ("$endpoint", deployment.EndpointName), ("$name", deployment.Name), ("$spec", Serialize(deployment)), ("$now", now));
            Run(tx, "UPDATE endpoints SET spec = $spec, updated_utc = $now WHERE name = $name;",
                ("$name", endpoint.Name), ("$spec", Serialize(endpoint)), ("$now", now));
        });
    }

    /// <summary>Deletes one deployment.</summary>
    public void DeleteDeployment(string endpoint, string name) =>
        InTransaction("delete deployment", tx =>
            Run(tx, "DELETE FROM deployments WHERE endpoint = $endpoint AND name = $name;", ("$endpoint", endpoint), ("$name", name)));

    /// <summary>Appends audit records in one transaction.</summary>
    public void AppendAudit(IReadOnlyList<AuditRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        InTransaction("append audit", tx =>
        {
            // One statement, prepared once and re-bound per record: parsing the INSERT for every record
            // was most of the audit writer's CPU under load.
            using var insert = _connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT INTO audit (time_utc, request_id, endpoint, deployment, model_name, model_version, package_sha256, caller,
                    rows, status, latency_ms, request_sha256, response_sha256)
                VALUES ($t, $id, $e, $d, $mn, $mv, $ph, $c, $rows, $status, $ms, $req, $res);
                """;
            var p = AuditParameters.Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
            insert.Prepare();
            foreach (var r in records)
            {
                (p[0].Value, p[1].Value, p[2].Value, p[3].Value, p[4].Value) = (FormatTime(r.TimeUtc), r.RequestId, r.Endpoint, r.Deployment, r.ModelName);
                (p[5].Value, p[6].Value, p[7].Value, p[8].Value, p[9].Value) = (r.ModelVersion, r.PackageSha256, r.Caller, r.Rows, r.Status);
                (p[10].Value, p[11].Value, p[12].Value) = (r.LatencyMs, r.RequestSha256, r.ResponseSha256);
                insert.ExecuteNonQuery();
            }

            _auditSincePrune += records.Count;
            if (Path is null && _auditSincePrune >= Math.Max(1, InMemoryAuditLimit / 10))
            {
                // Ids only grow (AUTOINCREMENT), so the newest records are the highest ids. Pruning every
                // tenth of the limit keeps the table within 110 % of it without a DELETE per batch.
                Run(tx, "DELETE FROM audit WHERE id <= (SELECT MAX(id) FROM audit) - $keep;", ("$keep", InMemoryAuditLimit));
                _auditSincePrune = 0;
            }
        }, fault: false);
    }

    /// <summary>Audit records of an endpoint (or all) at or after a time, oldest first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<AuditRecord> QueryAudit(string? endpoint, DateTimeOffset? since, int limit)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                SELECT time_utc, request_id, endpoint, deployment, model_name, model_version, package_sha256, caller, rows, status,
                    latency_ms, request_sha256, response_sha256 FROM audit
                WHERE ($e IS NULL OR endpoint = $e) AND ($since IS NULL OR time_utc >= $since)
                ORDER BY time_utc, id LIMIT $limit;
                """;
            command.Parameters.AddWithValue("$e", (object?)endpoint ?? DBNull.Value);
            command.Parameters.AddWithValue("$since", since is null ? DBNull.Value : FormatTime(since.Value));
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            var result = new List<AuditRecord>();
            while (reader.Read())
            {
                result.Add(new AuditRecord
                {
                    TimeUtc = ParseTime(reader.GetString(0)),
                    RequestId = reader.GetString(1),
                    Endpoint = reader.GetString(2),
                    Deployment = reader.GetString(3),
                    ModelName = reader.GetString(4),
                    ModelVersion = reader.GetString(5),
                    PackageSha256 = reader.GetString(6),
                    Caller = reader.GetString(7),
                    Rows = reader.GetInt32(8),
                    Status = reader.GetInt32(9),
                    LatencyMs = reader.GetDouble(10),
                    RequestSha256 = reader.GetString(11),
                    ResponseSha256 = reader.GetString(12),
                });
            }

            return result;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    internal static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) =>
        new(DateTime.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);

    private static string Serialize(EndpointSpec spec) => JsonSerializer.Serialize(spec, ManagementJsonContext.Default.EndpointSpec);

    private static string Serialize(DeploymentSpec spec) => JsonSerializer.Serialize(spec, ManagementJsonContext.Default.DeploymentSpec);

    private string Now() => FormatTime(_time.GetUtcNow());

    private int ReadVersion()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private void Migrate(int target)
    {
        lock (_gate)
        {
            int version = ReadVersion();
            if (version > CurrentSchemaVersion)
            {
                throw new InvalidDataException($"the state database '{Path}' has schema version {version}, newer than this build's {CurrentSchemaVersion}; use a newer MedServe");
            }

            for (int v = version; v < target; v++)
            {
                using var tx = _connection.BeginTransaction();
                using (var command = _connection.CreateCommand())
                {
                    command.Transaction = tx;
                    command.CommandText = Migrations[v] + $"\nPRAGMA user_version = {v + 1};";
                    command.ExecuteNonQuery();
                }

                tx.Commit();
            }
        }
    }

    private void Execute(string sql)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    private void InTransaction(string what, Action<SqliteTransaction> work, bool fault = true)
    {
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction();
            var hook = fault ? FaultPoint : null;
            if (hook is null)
            {
                work(tx);
            }
            else
            {
                work(tx);
                hook(what);
            }

            tx.Commit();
        }
    }

    private void Run(SqliteTransaction tx, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }
}
