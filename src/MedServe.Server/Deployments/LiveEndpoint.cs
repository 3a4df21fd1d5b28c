using System.Collections.Immutable;
using MedServe.Server.Configuration;

namespace MedServe.Server.Deployments;

/// <summary>An endpoint at run time: its spec, the hashes of its two keys, and its deployments (swapped whole on change).</summary>
internal sealed class LiveEndpoint(EndpointSpec spec, byte[] primaryHash, byte[] secondaryHash)
{
    private volatile EndpointSpec _spec = spec;
    private volatile byte[] _primaryHash = primaryHash;
    private volatile byte[] _secondaryHash = secondaryHash;
    private ImmutableDictionary<string, LiveDeployment> _deployments = ImmutableDictionary.Create<string, LiveDeployment>(StringComparer.Ordinal);

    public string Name => _spec.Name;

    /// <summary>Creation order, for listings.</summary>
    public long Order { get; set; }

    public EndpointSpec Spec
    {
        get => _spec;
        set => _spec = value;
    }

    public byte[] PrimaryHash => _primaryHash;

    public byte[] SecondaryHash => _secondaryHash;

    public ImmutableDictionary<string, LiveDeployment> Deployments => Volatile.Read(ref _deployments);

    public void SetKeyHash(State.KeySlot slot, byte[] hash)
    {
        if (slot == State.KeySlot.Primary)
        {
            _primaryHash = hash;
        }
        else
        {
            _secondaryHash = hash;
        }
    }

    public void SetDeployment(LiveDeployment deployment) =>
        ImmutableInterlocked.Update(ref _deployments, (d, value) => d.SetItem(value.Spec.Name, value), deployment);

    public void RemoveDeployment(string name) =>
        ImmutableInterlocked.Update(ref _deployments, (d, key) => d.Remove(key), name);
}
