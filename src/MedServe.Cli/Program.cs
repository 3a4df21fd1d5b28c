using MedServe.Cli;
using MedServe.Inference.Runtime;

OrtTelemetry.Disable();
return await CliApp.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
