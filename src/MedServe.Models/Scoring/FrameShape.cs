namespace MedServe.Models.Scoring;

/// <summary>The checks every model makes first: known columns only, at least one row, at most the row limit.</summary>
public static class FrameShape
{
    /// <summary>
    /// Returns false with the client message when the frame has a column the model does not accept, no
    /// rows, or more rows than <see cref="ModelDescriptor.MaxRows"/>.
    /// </summary>
    /// <param name="frame">The parsed request.</param>
    /// <param name="descriptor">The model's columns and row limit.</param>
    /// <param name="modelName">The model's display name for messages, e.g. <c>MedImageInsight</c>.</param>
    /// <param name="error">The message, when the result is false.</param>
    public static bool TryCheck(ScoringFrame frame, ModelDescriptor descriptor, string modelName, out string error)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(descriptor);
        error = "";
        foreach (string column in frame.Columns)
        {
            if (!descriptor.Columns.Any(c => c.Name == column))
            {
                error = $"unknown column '{ScoringFrameParser.Truncate(column)}'; {modelName} accepts the columns: {string.Join(", ", descriptor.Columns.Select(c => c.Name))}";
                return false;
            }
        }

        if (frame.RowCount == 0)
        {
            error = "'input_data.data' has no rows";
            return false;
        }

        if (frame.RowCount > descriptor.MaxRows)
        {
            error = $"the request has {frame.RowCount} rows; the limit is {descriptor.MaxRows} rows per request";
            return false;
        }

        return true;
    }
}
