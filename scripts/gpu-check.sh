#!/usr/bin/env bash
# The GPU check, in one call on a machine with a CUDA GPU and a CUDA Python torch but no Node: unpack the
# carried Node, build the addon against that torch's LibTorch, run the @gpu tests and the GPU benchmark.
# Everything it prints also goes to $OUT/gpu_log.txt, and the built addon, as a prebuild for that LibTorch, to
# $OUT/prebuilds/<platform>-<arch>/ (copy it into prebuilds/ to ship it).
set -uo pipefail
OUT="${OUT:-/tmp/gpu-out}"
mkdir -p "$OUT"
exec > >(tee "$OUT/gpu_log.txt") 2>&1
T0=$SECONDS
step() { echo "== [$((SECONDS - T0))s] $*"; }
die() { echo "FAIL($1) $2"; exit "$1"; }
cd "$(dirname "$0")/.."

# 1. Node and modules
mkdir -p "$HOME/.torch-node-bin"
NODE="$HOME/.torch-node-bin/node"
xz -dc .gpu/node.xz > "$NODE" 2>/dev/null ||
  python3 -c "import lzma,shutil,sys;shutil.copyfileobj(lzma.open('.gpu/node.xz'),open(sys.argv[1],'wb'))" "$NODE" || die 10 "unpack node"
chmod +x "$NODE"
export PATH="$HOME/.torch-node-bin:$PATH"
node -v || die 11 node
rm -rf node_modules && cp -a .gpu/node_modules node_modules
step node

# 2. The CUDA LibTorch of the Python torch there
PY="${TORCH_NODE_PYTHON:-$(command -v python3)}"
for cand in /opt/torch/.venv/bin/python3 "$PY"; do
  if [ -x "$cand" ] && "$cand" -c 'import torch' 2>/dev/null; then PY="$cand"; break; fi
done
"$PY" -c 'import torch;print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())'
TP=$("$PY" -c 'import torch;print(torch.utils.cmake_prefix_path)')
SP=$("$PY" -c 'import sysconfig;print(sysconfig.get_paths()["purelib"])')
NVCC=$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)
[ -x "$NVCC" ] || die 12 nvcc
CUDA_HOME=$(dirname "$(dirname "$(readlink -f "$NVCC")")")
EXTRA=()
[ -e "$CUDA_HOME/lib64/libnvrtc.so" ] || EXTRA+=("-DCUDA_nvrtc_LIBRARY=$(ls "$SP"/nvidia/cu*/lib/libnvrtc.so.* 2>/dev/null | head -1)")
step facts

# 3. Record that LibTorch (libtorch.json, the Python route), then build (a fresh build folder; never the CPU one)
TORCH_NODE_PYTHON="$PY" TORCH_NODE_REQUIRE_CMAKE=1 node scripts/fetch-libtorch || die 18 fetch-libtorch
GEN=Ninja; command -v ninja >/dev/null || GEN="Unix Makefiles"
rm -rf build && cmake -S . -B build/cmake -G "$GEN" -DCMAKE_BUILD_TYPE=Release \
  -DTorch_DIR="$TP/Torch" -DCMAKE_LIBRARY_OUTPUT_DIRECTORY="$PWD/build/Release" \
  -DCMAKE_JS_INC="$PWD/.gpu/napi" -DCMAKE_CUDA_COMPILER="$NVCC" \
  -DCUDAToolkit_ROOT="$CUDA_HOME" -DCUDA_TOOLKIT_ROOT_DIR="$CUDA_HOME" \
  -DTORCH_CUDA_ARCH_LIST=9.0 "${EXTRA[@]}" || die 13 configure
cmake --build build/cmake -j "$(nproc)" || die 14 build
ADDON=build/Release/torch_node.node
readelf -d "$ADDON" | grep -E 'NEEDED|RPATH|RUNPATH'
readelf -d "$ADDON" | grep -q 'libtorch_cuda\.so' || echo "WARN: libtorch_cuda.so is not NEEDED: CUDA will not be visible"
node scripts/prebuild.js --from-build --out "$OUT/prebuilds" || die 19 prebuild
step built

# 4. Run: torch's own libraries find the CUDA runtime through their RPATH; this is insurance for bare-name dlopens.
export LD_LIBRARY_PATH="$SP/torch/lib:$(ls -d "$SP"/nvidia/cu*/lib 2>/dev/null | head -1)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export TORCH_NODE_PYTHON="$PY"
node -e 'const t=require("./dist/lib");console.log("cuda", t.cuda.isAvailable(), t.cuda.deviceCount(), t.cuda.isAvailable() ? t.cuda.getDeviceName() : "")' || die 15 sanity
REQUIRE_CUDA=1 node node_modules/mocha/bin/mocha.js --grep @gpu 'dist/test/**/*.test.js' || die 16 tests
step tests
# LibTorch 2.x there: a TorchScript file exported by torch 1.13 loads and runs; NCCL initialises and all-reduces.
node node_modules/mocha/bin/mocha.js --grep '1.13' dist/test/jit.test.js || die 18 jit-compat
REQUIRE_CUDA=1 node node_modules/mocha/bin/mocha.js --grep NCCL dist/test/distributed.test.js || die 19 nccl
step compat
if [ -f dist/bench/gpu.js ]; then node dist/bench/run.js gpu || die 17 bench; fi
step done
