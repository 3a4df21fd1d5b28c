namespace MedServe.Dicom.Worker;

/// <summary>What the parent asks the decoder worker to do.</summary>
internal enum WorkerOperation
{
    /// <summary>Decode one frame.</summary>
    DecodeFrame = 1,

    /// <summary>Read the header facts only.</summary>
    ReadHeader = 2,
}
