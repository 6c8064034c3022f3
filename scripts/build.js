'use strict';
// Building torch-node from a checkout or an installed package: the addon (a fitting prebuild, or cmake-js
// against the LibTorch that scripts/fetch-libtorch resolves) and the TypeScript layer. Shared by install.js,
// build-if-stale.js and prebuild.js.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const addon = require('./addon');

const root = path.join(__dirname, '..');
const addonPath = path.join(root, 'build', 'Release', 'torch_node.node');

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.error || r.status !== 0) {
    throw new Error(`${what} failed${r.error ? `: ${r.error.message}` : ` (exit status ${r.status})`}`);
  }
}

function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** cmake and a C++ compiler: on Debian/Ubuntu as root they are installed with apt-get, saying so first. */
function ensureToolchain() {
  const missing = ['cmake', 'g++'].filter((c) => !hasCommand(c));
  if (missing.length === 0) return;
  const isRoot = process.getuid && process.getuid() === 0;
  if (isRoot && fs.existsSync('/usr/bin/apt-get') && !process.env.TORCH_NODE_NO_APT) {
    const pkgs = missing;
    console.error(`torch-node: installing ${pkgs.join(' ')} with apt-get to build the addon`);
    run('apt-get', ['update', '-qq'], 'apt-get update');
    run('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], 'apt-get install');
    return;
  }
  throw new Error(
    `${process.env.TORCH_NODE_FROM_SOURCE ? 'TORCH_NODE_FROM_SOURCE is set' : 'no prebuilt addon fits this LibTorch'}, and building one from source needs ${missing.join(' and ')}: ` +
      'install them (Debian/Ubuntu: sudo apt-get install cmake g++; Fedora: sudo dnf install cmake gcc-c++), then run `npm rebuild torch-node`',
  );
}

/** Resolves LibTorch into libtorch.json (scripts/fetch-libtorch); `env` adds variables for that run. */
function resolveLibtorch(env = {}) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'fetch-libtorch')], { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.error || r.status !== 0) throw new Error('no usable LibTorch was found (see the message above)');
  return addon.readRecord(root);
}

/** Builds the addon from source with cmake-js against libtorch.json, and writes its sidecar. */
function compileNative() {
  ensureToolchain();
  let cmakeJs;
  try {
    cmakeJs = require.resolve('cmake-js/bin/cmake-js', { paths: [root] });
  } catch {
    throw new Error('building the addon from source needs the cmake-js package: run `npm install` in the torch-node folder');
  }
  run(process.execPath, [cmakeJs, 'compile', '--out', 'build'], 'building the addon');
  writeSidecar();
}

/** Records next to build/Release/torch_node.node which LibTorch and sources it was built from. */
function writeSidecar() {
  const record = addon.readRecord(root);
  if (!record || !fs.existsSync(addonPath)) return;
  fs.writeFileSync(addon.sidecarOf(addonPath), JSON.stringify(addon.describeBuild(addonPath, record, root), null, 2) + '\n');
}

/** A prebuilt addon that fits the resolved LibTorch and these sources, or null. */
function fittingPrebuild(record = addon.readRecord(root)) {
  if (!record || process.env.TORCH_NODE_FROM_SOURCE) return null;
  const hash = addon.sourceHash(root);
  return (
    addon
      .candidates(root)
      .find((c) => c.kind === 'prebuild' && !addon.mismatch(c, record, hash) && addon.missingLibraries(c.meta, record).length === 0) || null
  );
}

/**
 * Resolves LibTorch, then uses a fitting prebuilt addon (nothing to compile) or builds one from source. A
 * LibTorch without CMake files (a Python torch that ships only its libraries) serves prebuilds only: for a
 * source build the resolution runs again, requiring them.
 */
function buildNative() {
  let record = resolveLibtorch();
  // A from-source build, once made, is what loads first (lib/native.ts): keep it current instead.
  const prebuild = fs.existsSync(addonPath) ? null : fittingPrebuild(record);
  if (prebuild) {
    console.error(`torch-node: using the prebuilt addon ${path.relative(root, prebuild.file)} (LibTorch ${record.version}, ${addon.flavourTag(record.flavour)}); nothing to compile`);
    return prebuild;
  }
  if (!record.torchDir) record = resolveLibtorch({ TORCH_NODE_REQUIRE_CMAKE: '1' });
  compileNative();
  return null;
}

/** Compiles the TypeScript in a checkout; an installed package ships dist/ (and no tsconfig.json). */
function buildTypeScript() {
  if (!addon.isCheckout(root)) return false;
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  } catch {
    throw new Error('compiling the TypeScript needs the typescript package: run `npm install` in this checkout');
  }
  run(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], 'compiling TypeScript');
  return true;
}

function newestMtime(paths) {
  let newest = 0;
  for (const p of paths) {
    if (!fs.existsSync(p)) continue;
    const st = fs.statSync(p);
    if (st.isDirectory()) newest = Math.max(newest, newestMtime(fs.readdirSync(p).map((n) => path.join(p, n))));
    else newest = Math.max(newest, st.mtimeMs);
  }
  return newest;
}

/** Whether a from-source build exists and is older than its sources. */
function buildIsStale() {
  const sidecar = addon.sidecarOf(addonPath);
  const record = addon.readRecord(root);
  // The sidecar is written after every compile made here: its source hash and LibTorch decide (a checkout or a
  // merge that only touched files does not force a rebuild). Without it, or when the addon was relinked by a
  // bare cmake-js call since, file times decide.
  if (record && fs.existsSync(sidecar) && fs.statSync(sidecar).mtimeMs >= fs.statSync(addonPath).mtimeMs) {
    const meta = JSON.parse(fs.readFileSync(sidecar, 'utf8'));
    return meta.sourceHash !== addon.sourceHash(root) || meta.libtorch !== record.version || addon.flavourTag(meta.flavour) !== addon.flavourTag(record.flavour);
  }
  const sources = ['native', 'CMakeLists.txt', 'libtorch.json'].map((p) => path.join(root, p));
  return newestMtime(sources) > fs.statSync(addonPath).mtimeMs;
}

/**
 * Whether the addon must be (re)built: a from-source build that is older than its sources, or, without one,
 * no prebuild for the resolved LibTorch and these exact sources.
 */
function nativeIsStale() {
  if (fs.existsSync(addonPath)) return buildIsStale();
  return !fittingPrebuild();
}

module.exports = { buildNative, compileNative, writeSidecar, buildTypeScript, nativeIsStale, buildIsStale, fittingPrebuild, resolveLibtorch, addonPath, root };
