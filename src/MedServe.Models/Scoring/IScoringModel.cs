namespace MedServe.Models.Scoring;

/// <summary>A loaded model that scores requests: pre-process → run graphs → post-process.</summary>
public interface IScoringModel : IDisposable
{
    /// <summary>What the model is and what it accepts.</summary>
    ModelDescriptor Descriptor { get; }

    /// <summary>Scores one parsed request; bad input gives a 4xx result, never an exception.</summary>
    Task<ScoringResult> ScoreAsync(ScoringFrame frame, CancellationToken cancellationToken);
}
