#!/usr/bin/env bash
# Prepares .gpu/ (ignored by git) with what the GPU machine lacks, for scripts/gpu-check.sh:
# a compressed Node binary, the N-API headers, and the node modules the check needs (no TypeScript, no
# build folders). Run `npm install` first; then the device command is `bash scripts/gpu-check.sh`
# with `.gpu` and `dist` carried.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf .gpu && mkdir -p .gpu/napi .gpu/node_modules
npx tsc -p tsconfig.json
xz -T0 -6 -c "$(command -v node)" > .gpu/node.xz
cp node_modules/node-api-headers/include/*.h .gpu/napi/
cp node_modules/node-addon-api/*.h .gpu/napi/
# Runtime and test modules only: node_modules minus compilers and type packages.
for m in node_modules/* node_modules/.bin; do
  case "$(basename "$m")" in typescript|@types|cmake-js|.package-lock.json) continue ;; esac
  cp -a "$m" .gpu/node_modules/
done
du -sh .gpu dist
