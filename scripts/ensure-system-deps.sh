#!/usr/bin/env bash
# Installs the system packages rmspec links against, when they are missing:
# Debian/Ubuntu's OpenBLAS (BLAS + LAPACK, Fortran interface) and pkg-config.
# Safe to run repeatedly; does nothing when everything is present.
set -euo pipefail

have_openblas() {
    # The linker needs libopenblas.so, which Debian ships in libopenblas-dev.
    dpkg-query -W -f='${Status}' libopenblas-dev 2>/dev/null | grep -q "install ok installed" ||
        compgen -G "/usr/lib/*/libopenblas.so" >/dev/null ||
        [ -e /usr/lib/libopenblas.so ]
}

missing=()
have_openblas || missing+=(libopenblas-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v cc >/dev/null 2>&1 || missing+=(gcc)

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "rmspec needs OpenBLAS (with LAPACK) and pkg-config; install: ${missing[*]} (no apt-get here)" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
else
    echo "rmspec needs ${missing[*]}: run as root or install sudo" >&2
    exit 1
fi

echo "installing ${missing[*]} ..." >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
