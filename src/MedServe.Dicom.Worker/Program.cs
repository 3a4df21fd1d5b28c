using MedServe.Dicom.Worker;

return DicomWorkerHost.Run(Console.OpenStandardInput(), Console.OpenStandardOutput());
