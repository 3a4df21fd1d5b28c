using System.Globalization;
using System.Text;

namespace MedServe.Models.CxrReportGen;

/// <summary>
/// Writes findings as the hosted endpoint's <c>output</c> string, which Python's <c>json.dumps</c> made:
/// <c>[["The heart size is normal.", null], ["…", [[0.415, 0.225, 0.635, 0.755]]]]</c> — ", " between
/// items, non-ASCII as <c>\uXXXX</c>, floats as their shortest round-trip form with ".0" for whole numbers.
/// </summary>
internal static class FindingsJson
{
    public static string Write(IReadOnlyList<Finding> findings)
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < findings.Count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            text.Append('[');
            WriteString(text, findings[i].Sentence);
            text.Append(", ");
            if (findings[i].Boxes is not { } boxes)
            {
                text.Append("null");
            }
            else
            {
                text.Append('[');
                for (int b = 0; b < boxes.Count; b++)
                {
                    if (b > 0)
                    {
                        text.Append(", ");
                    }

                    var box = boxes[b];
                    text.Append('[').Append(Number(box.XMin)).Append(", ").Append(Number(box.YMin)).Append(", ")
                        .Append(Number(box.XMax)).Append(", ").Append(Number(box.YMax)).Append(']');
                }

                text.Append(']');
            }

            text.Append(']');
        }

        return text.Append(']').ToString();
    }

    private static string Number(double value)
    {
        string s = value.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.', StringComparison.Ordinal) || s.Contains('E', StringComparison.Ordinal) ? s : s + ".0";
    }

    private static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case < ' ' or > '\u007f':
                    text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: text.Append(c); break;
            }
        }

        text.Append('"');
    }
}
