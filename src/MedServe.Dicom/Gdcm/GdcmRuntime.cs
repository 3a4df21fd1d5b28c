#if MEDSERVE_GDCM
using System.Reflection;
using System.Runtime.InteropServices;
#endif

namespace MedServe.Dicom.Gdcm;

/// <summary>
/// Loads GDCM's C# binding: maps its native glue library to the Debian location and silences GDCM's
/// trace output (it would otherwise write warnings about the file's contents to stderr).
/// </summary>
internal static class GdcmRuntime
{
    /// <summary>The answer when this build has no GDCM.</summary>
    public const string MissingMessage =
        "DICOM support needs the Debian package libgdcm-cil (apt-get install libgdcm-cil)";

    /// <summary>Where libgdcm-cil installs the native glue library.</summary>
    public const string GlueLibraryPath = "/usr/lib/cli/gdcm-sharp-3.0/libgdcmsharpglue.so";

#if MEDSERVE_GDCM
    private static readonly Lazy<string?> Initialization = new(Initialize);
#endif

    /// <summary>True when this build was compiled against gdcm-sharp.</summary>
    public static bool IsCompiledIn =>
#if MEDSERVE_GDCM
        true;
#else
        false;
#endif

    /// <summary>
    /// Prepares GDCM once per process; returns null when it is usable, else the reason it is not.
    /// </summary>
    public static string? EnsureInitialized()
    {
#if MEDSERVE_GDCM
        return Initialization.Value;
#else
        return MissingMessage;
#endif
    }

#if MEDSERVE_GDCM
    private static string? Initialize()
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(gdcm.ImageReader).Assembly, Resolve);
            gdcm.Trace.DebugOff();
            gdcm.Trace.WarningOff();
            gdcm.Trace.ErrorOff();
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or FileNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            return MissingMessage;
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name.Contains("gdcmsharpglue", StringComparison.Ordinal) && File.Exists(GlueLibraryPath))
        {
            return NativeLibrary.Load(GlueLibraryPath);
        }

        return IntPtr.Zero;
    }
#endif
}
