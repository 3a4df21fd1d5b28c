namespace MedServe.Server.State;

/// <summary>The two key slots of an endpoint.</summary>
public enum KeySlot
{
    /// <summary>The primary key.</summary>
    Primary,

    /// <summary>The secondary key.</summary>
    Secondary,
}
