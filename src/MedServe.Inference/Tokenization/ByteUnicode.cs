namespace MedServe.Inference.Tokenization;

/// <summary>
/// GPT-2/CLIP reversible byte-to-character table: every byte maps to one printable character so that a
/// BPE vocabulary can be stored as text. Printable Latin-1 bytes map to themselves; the remaining 68
/// bytes (controls, space, soft hyphen, ...) map to U+0100 upward in byte order.
/// </summary>
internal static class ByteUnicode
{
    /// <summary>Character for each byte value.</summary>
    public static readonly char[] ByteToChar = BuildTable(out OpenAiOrder);

    /// <summary>
    /// Byte values in the order OpenAI's vocabulary lists them (printable bytes first, then the
    /// remapped ones); the position in this array is the byte's base id, +256 for its <c>&lt;/w&gt;</c> form.
    /// </summary>
    public static readonly byte[] OpenAiOrder;

    private static char[] BuildTable(out byte[] order)
    {
        var table = new char[256];
        var isPrintable = new bool[256];
        order = new byte[256];
        int next = 0;
        for (int b = 0; b < 256; b++)
        {
            if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF))
            {
                isPrintable[b] = true;
                table[b] = (char)b;
                order[next++] = (byte)b;
            }
        }

        int shifted = 0;
        for (int b = 0; b < 256; b++)
        {
            if (!isPrintable[b])
            {
                table[b] = (char)(256 + shifted++);
                order[next++] = (byte)b;
            }
        }

        return table;
    }
}
