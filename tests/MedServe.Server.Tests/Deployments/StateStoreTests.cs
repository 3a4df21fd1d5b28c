using MedServe.Server.Configuration;
using MedServe.Server.Management;
using MedServe.Server.State;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace MedServe.Server.Tests.Deployments;

/// <summary>The SQLite state: WAL, schema versions and migration, atomic changes, sealed keys.</summary>
public sealed class StateStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-state-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));

    private string Db => Path.Combine(_dir, "state.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static EndpointSpec Endpoint(int blue) => new() { Name = "stored", Traffic = new Dictionary<string, int> { ["blue"] = blue, ["green"] = 100 - blue } };

    private AuditRecord Audit(int n) => new()
    {
        TimeUtc = _time.GetUtcNow().AddSeconds(n), RequestId = $"r{n}", Endpoint = "stored", Deployment = "blue", ModelName = "m",
        ModelVersion = "1", PackageSha256 = "00", Caller = "key:primary", Rows = 1, Status = 200, LatencyMs = 1, RequestSha256 = "aa", ResponseSha256 = "bb",
    };

    [Fact]
    public void AppendAudit_InMemoryPastTheLimit_KeepsTheNewestRecords()
    {
        using var store = StateStore.Open(null, _time);
        store.InMemoryAuditLimit = 10;
        store.AppendAudit([.. Enumerable.Range(0, 7).Select(Audit)]);
        store.AppendAudit([.. Enumerable.Range(7, 8).Select(Audit)]);

        var kept = store.QueryAudit(null, null, 100);

        Assert.Equal([.. Enumerable.Range(5, 10).Select(n => $"r{n}")], kept.Select(r => r.RequestId));
    }

    [Fact]
    public void AppendAudit_InMemoryOneByOne_StaysWithinATenthAboveTheLimitAndKeepsTheNewest()
    {
        using var store = StateStore.Open(null, _time);
        store.InMemoryAuditLimit = 100;
        for (int n = 0; n < 250; n++)
        {
            store.AppendAudit([Audit(n)]);
            int count = store.QueryAudit(null, null, 1000).Count;
            Assert.InRange(count, Math.Min(n + 1, 100), 110);
        }

        var kept = store.QueryAudit(null, null, 1000);
        Assert.Equal("r249", kept[^1].RequestId);
        Assert.Equal([.. Enumerable.Range(250 - kept.Count, kept.Count).Select(n => $"r{n}")], kept.Select(r => r.RequestId));
    }

    [Fact]
    public void AppendAudit_EveryFieldRoundTrips()
    {
        using var store = StateStore.Open(Db, _time);
        var record = Audit(3) with { Rows = 17, Status = 429, LatencyMs = 12.375, Caller = "token:alice", RequestSha256 = "ab12", ResponseSha256 = "" };
        store.AppendAudit([Audit(1), record]);

        var read = store.QueryAudit(null, null, 10);

        Assert.Equal(2, read.Count);
        Assert.Equal(record, read[1]);
    }

    [Fact]
    public void AppendAudit_FileStore_KeepsEverything()
    {
        using var store = StateStore.Open(Db, _time);
        store.InMemoryAuditLimit = 10;
        store.AppendAudit([.. Enumerable.Range(0, 15).Select(Audit)]);

        Assert.Equal(15, store.QueryAudit(null, null, 100).Count);
    }

    [Fact]
    public void Open_NewFile_IsWalAtTheCurrentSchemaVersion()
    {
        using var store = StateStore.Open(Db, _time);
        Assert.Equal("wal", store.JournalMode());
        Assert.Equal(StateStore.CurrentSchemaVersion, store.SchemaVersion);
        Assert.Equal(2, StateStore.CurrentSchemaVersion);
    }

    [Fact]
    public void Open_OlderSchema_MigratesKeepingTheData()
    {
        using (var old = StateStore.Open(Db, _time, migrateTo: 1))
        {
            Assert.Equal(1, old.SchemaVersion);
            old.SaveEndpoint(Endpoint(100), old.Secret.Protect("primary-0123456789abcdef"), old.Secret.Protect("secondary-0123456789abcdef"));
        }

        using var store = StateStore.Open(Db, _time);
        Assert.Equal(2, store.SchemaVersion);
        Assert.Equal(100, Assert.Single(store.LoadEndpoints()).Spec.Traffic["blue"]);
    }

    [Fact]
    public void LoadDeployments_SpecStoredWithoutNewerKeys_KeepsTheirDefaults()
    {
        using (var store = StateStore.Open(Db, _time))
        {
            store.SaveEndpoint(Endpoint(100), store.Secret.Protect("primary-0123456789abcdef"), store.Secret.Protect("secondary-0123456789abcdef"));
            store.SaveDeployment(new DeploymentSpec { Name = "blue", EndpointName = "stored", Model = "/models/a" });
        }

        // What an older MedServe wrote: only the keys it knew.
        using (var connection = new SqliteConnection($"Data Source={Db};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """UPDATE deployments SET spec = '{"name": "blue", "endpoint_name": "stored", "model": "/models/a"}';""";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        using var reopened = StateStore.Open(Db, _time);
        var spec = Assert.Single(reopened.LoadDeployments());
        var defaults = new DeploymentSpec { Name = "blue", EndpointName = "stored", Model = "/models/a" };
        Assert.Equal((1, "cpu", true, true, false), (spec.InstanceCount, spec.ExecutionProvider, spec.EnableCpuMemArena, spec.EnableMemoryPattern, spec.AllowSpinning));
        Assert.Equal(defaults.RequestSettings, spec.RequestSettings);
        Assert.Equal(defaults.Batching, spec.Batching);
        Assert.Equal(defaults.LivenessProbe, spec.LivenessProbe);
        Assert.Equal(5000, spec.RequestSettings.RequestTimeoutMs);
        Assert.True(spec.Batching.Enabled);
    }

    [Fact]
    public void Open_NewerSchema_IsRefusedNamingTheVersions()
    {
        using (var connection = new SqliteConnection($"Data Source={Db};Pooling=False"))
        {
            Directory.CreateDirectory(_dir);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 9;";
            command.ExecuteNonQuery();
        }

        var ex = Assert.Throws<InvalidDataException>(() => StateStore.Open(Db, _time));
        Assert.Equal($"the state database '{Db}' has schema version 9, newer than this build's 2; use a newer MedServe", ex.Message);
    }

    [Fact]
    public void UpdateEndpoint_CrashBeforeCommit_LeavesThePreviousStateAfterReopening()
    {
        using (var store = StateStore.Open(Db, _time))
        {
            store.SaveEndpoint(Endpoint(100), store.Secret.Protect("primary-0123456789abcdef"), store.Secret.Protect("secondary-0123456789abcdef"));
            store.SaveDeployment(new DeploymentSpec { Name = "blue", EndpointName = "stored", Model = "/models/a" });
            store.FaultPoint = what => throw new IOException("simulated crash during " + what);
            Assert.Throws<IOException>(() => store.UpdateEndpoint(Endpoint(10)));
            Assert.Throws<IOException>(() => store.DeleteEndpoint("stored"));
            Assert.Throws<IOException>(() => store.SaveDeploymentAndEndpoint(new DeploymentSpec { Name = "green", EndpointName = "stored", Model = "/models/b" }, Endpoint(0)));
        }

        using var reopened = StateStore.Open(Db, _time);
        var endpoint = Assert.Single(reopened.LoadEndpoints());
        Assert.Equal(100, endpoint.Spec.Traffic["blue"]);
        Assert.Equal("blue", Assert.Single(reopened.LoadDeployments()).Name);
        Assert.Equal("secondary-0123456789abcdef", reopened.Secret.Unseal(endpoint.Secondary.Sealed));
    }

    [Fact]
    public void SetKey_OneSlot_LeavesTheOtherAndStoresNoPlainKey()
    {
        using var store = StateStore.Open(Db, _time);
        store.SaveEndpoint(Endpoint(100), store.Secret.Protect("primary-0123456789abcdef"), store.Secret.Protect("secondary-0123456789abcdef"));
        store.SetKey("stored", KeySlot.Primary, store.Secret.Protect("rotated-0123456789abcdef"));
        var endpoint = Assert.Single(store.LoadEndpoints());
        Assert.Equal("rotated-0123456789abcdef", store.Secret.Unseal(endpoint.Primary.Sealed));
        Assert.Equal(ServerSecret.HashKey("rotated-0123456789abcdef"), endpoint.Primary.Hash);
        Assert.Equal(ServerSecret.HashKey("secondary-0123456789abcdef"), endpoint.Secondary.Hash);
        Assert.DoesNotContain("0123456789abcdef", System.Text.Encoding.Latin1.GetString(endpoint.Primary.Sealed), StringComparison.Ordinal);
    }

    [Fact]
    public void Open_InMemory_KeepsStateForTheProcessOnly()
    {
        using (var store = StateStore.Open(null, _time))
        {
            store.SaveEndpoint(Endpoint(100), store.Secret.Protect("primary-0123456789abcdef"), store.Secret.Protect("secondary-0123456789abcdef"));
            Assert.Single(store.LoadEndpoints());
        }

        using var fresh = StateStore.Open(null, _time);
        Assert.Empty(fresh.LoadEndpoints());
    }
}
