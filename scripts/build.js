'use strict';
// Building torch-node from a checkout or an installed package: the addon (cmake-js against the LibTorch that
// scripts/fetch-libtorch resolves) and the TypeScript layer. Shared by install.js and build-if-stale.js.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

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
  throw new Error(`building the addon needs ${missing.join(' and ')}: install them (Debian/Ubuntu: sudo apt-get install cmake g++)`);
}

function buildNative() {
  run(process.execPath, [path.join(root, 'scripts', 'fetch-libtorch')], 'resolving LibTorch');
  ensureToolchain();
  const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
  run(process.execPath, [cmakeJs, 'compile', '--out', 'build'], 'building the addon');
}

function buildTypeScript() {
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  } catch {
    return false; // an installed package ships dist/ already
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

/** Whether the addon is missing or older than its sources. */
function nativeIsStale() {
  if (!fs.existsSync(addonPath)) return true;
  const sources = ['native', 'CMakeLists.txt', 'libtorch.json'].map((p) => path.join(root, p));
  return newestMtime(sources) > fs.statSync(addonPath).mtimeMs;
}

module.exports = { buildNative, buildTypeScript, nativeIsStale, addonPath, root };
