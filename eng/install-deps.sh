#!/usr/bin/env bash
# Installs the system packages MedServe needs, when they are missing.
# Runs apt-get only as root; otherwise prints what to install and carries on.
set -euo pipefail

# Debian packages the build and tests need. (Empty entries are fine; add as features need them.)
# fonts-dejavu-core: the legend text of `medserve render` (DejaVuSans.ttf, loaded by path).
packages=(ca-certificates libgdcm-cil fonts-dejavu-core)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "warning: missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
fi
