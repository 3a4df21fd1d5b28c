namespace MedServe.Models.MedImageParse.Detection;

/// <summary>One target's prediction entering recognition: its mask probability and existence p-value.</summary>
/// <param name="Target">The target name, as in <c>target_dist.json</c>; distinct among the candidates of one image.</param>
/// <param name="Probability">The mask probability per pixel in [0, 1], H·W values row-major; the same length for every candidate.</param>
/// <param name="PValue">The existence p-value (<see cref="ExistenceTest.PValue"/>).</param>
public sealed record RecognitionCandidate(string Target, float[] Probability, double PValue);
