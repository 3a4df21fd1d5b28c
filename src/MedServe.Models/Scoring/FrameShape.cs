namespace MedServe.Models.Scoring;

/// <summary>The checks every model makes on a frame's shape: known columns, at least one row, at most the limit.</summary>
public static class FrameShape
{
    /// <summary>
    /// Returns false with a client-safe message when a column is not one of <paramref name="columns"/>, the
    /// frame has no rows, or more than <paramref name="maxRows"/>.
    /// </summary>
    public static bool TryCheck(ScoringFrame frame, string family, IReadOnlyList<string> columns, int maxRows, out string error)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(columns);
        error = "";
        foreach (string column in frame.Columns)
        {
            if (!columns.Contains(column))
            {
                error = $"unknown column '{ScoringFrameParser.Truncate(column)}'; {family} accepts the columns: {string.Join(", ", columns)}";
                return false;
            }
        }

        if (frame.RowCount == 0)
        {
            error = "'input_data.data' has no rows";
            return false;
        }

        if (frame.RowCount > maxRows)
        {
            error = $"the request has {frame.RowCount} rows; the limit is {maxRows} rows per request";
            return false;
        }

        return true;
    }
}
