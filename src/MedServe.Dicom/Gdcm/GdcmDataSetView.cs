#if MEDSERVE_GDCM
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace MedServe.Dicom.Gdcm;

/// <summary>
/// Typed reads of attributes from a GDCM data set. GDCM holds binary values in little-endian order
/// whatever the transfer syntax, so raw bytes are decoded as little endian here.
/// </summary>
internal sealed class GdcmDataSetView
{
    private readonly gdcm.DataSet _dataSet;

    public GdcmDataSetView(gdcm.DataSet dataSet)
    {
        _dataSet = dataSet;
    }

    public bool Contains(ushort group, ushort element) => _dataSet.FindDataElement(new gdcm.Tag(group, element));

    /// <summary>The raw value bytes, or null when absent or without a plain value (e.g. a sequence).</summary>
    public byte[]? Bytes(ushort group, ushort element)
    {
        var tag = new gdcm.Tag(group, element);
        if (!_dataSet.FindDataElement(tag))
        {
            return null;
        }

        using gdcm.DataElement dataElement = _dataSet.GetDataElement(tag);
        gdcm.ByteValue? value = dataElement.GetByteValue();
        if (value is null)
        {
            return null;
        }

        uint length = value.GetLength().GetValueLength();
        var bytes = new byte[length];
        if (length > 0 && !value.GetBuffer(bytes, length))
        {
            return null;
        }

        return bytes;
    }

    public string? String(ushort group, ushort element)
    {
        byte[]? bytes = Bytes(group, element);
        return bytes is null ? null : Encoding.ASCII.GetString(bytes).Trim('\0', ' ');
    }

    public int? UInt16(ushort group, ushort element)
    {
        byte[]? bytes = Bytes(group, element);
        return bytes is { Length: >= 2 } ? BinaryPrimitives.ReadUInt16LittleEndian(bytes) : null;
    }

    public int? IntegerString(ushort group, ushort element)
    {
        string? text = String(group, element);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : null;
    }

    /// <summary>The values of a multi-valued decimal string; unparsable values end the list.</summary>
    public List<double> Decimals(ushort group, ushort element)
    {
        var values = new List<double>();
        string? text = String(group, element);
        if (string.IsNullOrEmpty(text))
        {
            return values;
        }

        foreach (string part in text.Split('\\'))
        {
            if (!double.TryParse(part.Trim('\0', ' '), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                || !double.IsFinite(value))
            {
                break;
            }

            values.Add(value);
        }

        return values;
    }

    public List<string> Strings(ushort group, ushort element)
    {
        string? text = String(group, element);
        return string.IsNullOrEmpty(text) ? [] : [.. text.Split('\\').Select(s => s.Trim('\0', ' ').ToUpperInvariant())];
    }

    /// <summary>The nested data set of a sequence's first item, or null.</summary>
    public GdcmDataSetView? FirstItem(ushort group, ushort element)
    {
        var tag = new gdcm.Tag(group, element);
        if (!_dataSet.FindDataElement(tag))
        {
            return null;
        }

        gdcm.DataElement dataElement = _dataSet.GetDataElement(tag);
        gdcm.SequenceOfItems? items = dataElement.GetValueAsSQ()?.GetPointer();
        if (items is null || items.GetNumberOfItems() == 0)
        {
            return null;
        }

        // GDCM numbers items from 1.
        return new GdcmDataSetView(items.GetItem(1).GetNestedDataSet());
    }
}
#endif
