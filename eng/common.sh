# Shared by ./medserve and ./test.sh: environment every MedServe process runs with.
# ONNX Runtime reads ORT_DISABLE_TELEMETRY from the native environment before its first call,
# so it must be set here, outside .NET.
export ORT_DISABLE_TELEMETRY=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

medserve_require_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "error: the .NET 10 SDK is required (dotnet was not found on PATH)." >&2
    echo "       Install it from Microsoft's package feed, then run this again." >&2
    exit 2
  fi
  local major
  major=$(dotnet --version 2>/dev/null | cut -d. -f1)
  if [ "${major:-0}" -lt 10 ]; then
    echo "error: the .NET 10 SDK is required; found $(dotnet --version 2>/dev/null || echo none)." >&2
    exit 2
  fi
}
