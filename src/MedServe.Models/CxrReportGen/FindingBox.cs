namespace MedServe.Models.CxrReportGen;

/// <summary>One box of a finding, normalised to 0..1: <c>[x_min, y_min, x_max, y_max]</c>.</summary>
/// <param name="XMin">Left edge.</param>
/// <param name="YMin">Top edge.</param>
/// <param name="XMax">Right edge.</param>
/// <param name="YMax">Bottom edge.</param>
internal readonly record struct FindingBox(double XMin, double YMin, double XMax, double YMax);
