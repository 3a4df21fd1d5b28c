using System.Text.Json;

namespace MedServe.Models.Scoring;

/// <summary>
/// A parsed scoring envelope: the <c>input_data</c> frame (columns and rows) and the <c>params</c>
/// object. Cells stay JSON so each model decides what a cell may hold. Owns the parsed document.
/// </summary>
public sealed class ScoringFrame : IDisposable
{
    private readonly JsonDocument _document;
    private readonly JsonElement[][] _rows;
    private readonly Dictionary<string, int> _columnIndex;

    internal ScoringFrame(JsonDocument document, IReadOnlyList<string> columns, JsonElement[][] rows, JsonElement? parameters)
    {
        _document = document;
        Columns = columns;
        _rows = rows;
        Params = parameters;
        _columnIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < columns.Count; i++)
        {
            _columnIndex[columns[i]] = i;
        }
    }

    /// <summary>The column names, in the order the request gave them.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The number of rows.</summary>
    public int RowCount => _rows.Length;

    /// <summary>The <c>params</c> object, or null when absent or not an object (the hosted service ignores those).</summary>
    public JsonElement? Params { get; }

    /// <summary>True when the request has the named column.</summary>
    public bool HasColumn(string column) => _columnIndex.ContainsKey(column);

    /// <summary>The cell of a row in a named column; a JSON null when the request lacks the column.</summary>
    public JsonElement Cell(int row, string column) =>
        _columnIndex.TryGetValue(column, out int index) ? _rows[row][index] : default;

    /// <inheritdoc />
    public void Dispose() => _document.Dispose();
}
