using BenchmarkDotNet.Running;
using MedServe.Inference.Runtime;

OrtTelemetry.Disable();
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
