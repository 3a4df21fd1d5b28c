using Microsoft.ML.OnnxRuntime;

namespace MedServe.Onnx.Tests;

/// <summary>One named input for <see cref="OrtTestRunner"/>: a flat array and its shape.</summary>
internal sealed record OrtInput(string Name, Array Data, long[] Shape)
{
    public OrtValue ToOrtValue() => Data switch
    {
        float[] f => OrtValue.CreateTensorValueFromMemory(f, Shape),
        long[] l => OrtValue.CreateTensorValueFromMemory(l, Shape),
        int[] i => OrtValue.CreateTensorValueFromMemory(i, Shape),
        _ => throw new NotSupportedException(Data.GetType().Name),
    };
}

/// <summary>One output read back from ONNX Runtime.</summary>
internal sealed record OrtOutput<T>(T[] Data, long[] Shape);

/// <summary>Loads a model from bytes into ONNX Runtime and runs it once.</summary>
internal static class OrtTestRunner
{
    public static InferenceSession Load(byte[] model)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        return new InferenceSession(model, options);
    }

    public static OrtOutput<T> Run<T>(byte[] model, params OrtInput[] inputs)
        where T : unmanaged
    {
        using InferenceSession session = Load(model);
        return Run<T>(session, inputs);
    }

    public static OrtOutput<T> Run<T>(InferenceSession session, params OrtInput[] inputs)
        where T : unmanaged
    {
        var values = new List<OrtValue>(inputs.Length);
        try
        {
            foreach (OrtInput input in inputs)
            {
                values.Add(input.ToOrtValue());
            }

            using var runOptions = new RunOptions();
            using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(
                runOptions,
                inputs.Select(i => i.Name).ToArray(),
                values,
                [session.OutputNames[0]]);
            OrtValue first = outputs.First();
            return new OrtOutput<T>(first.GetTensorDataAsSpan<T>().ToArray(), first.GetTensorTypeAndShape().Shape);
        }
        finally
        {
            foreach (OrtValue value in values)
            {
                value.Dispose();
            }
        }
    }
}
