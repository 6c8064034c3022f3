'use strict';
// Finding LibTorch: shared by scripts/fetch-libtorch (build time) and `torch-node doctor`.
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { execFileSync, spawnSync } = require('child_process');

/** The LibTorch version of the official archives the download route fetches. */
const DOWNLOAD_VERSION = '2.11.0';

function exists(p) {
  try {
    fs.accessSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Reads TORCH_VERSION from a LibTorch include folder. */
function headerVersion(includeDirs) {
  for (const dir of includeDirs) {
    for (const rel of ['torch/csrc/api/include/torch/version.h', 'torch/version.h']) {
      const file = path.join(dir, rel);
      if (!exists(file)) continue;
      const text = fs.readFileSync(file, 'utf8');
      const get = (k) => (text.match(new RegExp(`#define TORCH_VERSION_${k}\\s+(\\d+)`)) || [])[1];
      if (get('MAJOR')) return `${get('MAJOR')}.${get('MINOR')}.${get('PATCH')}`;
    }
  }
  return 'unknown';
}

function flavourOf(libDir) {
  if (!libDir || !exists(libDir)) return 'cpu';
  const names = fs.readdirSync(libDir);
  if (names.some((n) => n.startsWith('libtorch_cuda'))) return 'cuda';
  if (names.some((n) => n.startsWith('libtorch_hip'))) return 'rocm';
  return 'cpu';
}

/** Describes a LibTorch found under `prefix` (a folder with share/cmake/Torch), or null. */
function fromPrefix(prefix, source) {
  const torchDir = path.join(prefix, 'share', 'cmake', 'Torch');
  if (!exists(path.join(torchDir, 'TorchConfig.cmake'))) return null;
  const libDir = path.join(prefix, 'lib');
  if (!exists(libDir)) return null;
  return {
    source,
    root: prefix,
    torchDir,
    libDir,
    version: headerVersion([path.join(prefix, 'include')]),
    flavour: flavourOf(libDir),
  };
}

function fromEnv(log) {
  const dir = process.env.LIBTORCH;
  if (!dir) return null;
  const found = fromPrefix(path.resolve(dir), 'LIBTORCH');
  if (!found) {
    throw new Error(
      `LIBTORCH is set to ${dir}, but that folder has no share/cmake/Torch/TorchConfig.cmake and lib/.\n` +
        'Point LIBTORCH at the unpacked libtorch folder, or unset it to let torch-node look elsewhere.',
    );
  }
  return found;
}

function fromPython(log) {
  const candidates = [process.env.TORCH_NODE_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean);
  const script =
    'import json, torch, torch.utils\n' +
    'print(json.dumps({"prefix": torch.utils.cmake_prefix_path, "version": torch.__version__, ' +
    '"cuda": torch.version.cuda, "lib": __import__("os").path.join(__import__("os").path.dirname(torch.__file__), "lib")}))';
  for (const py of [...new Set(candidates)]) {
    const r = spawnSync(py, ['-c', script], { encoding: 'utf8', timeout: 60000 });
    if (r.status !== 0 || !r.stdout) continue;
    let info;
    try {
      info = JSON.parse(r.stdout.trim().split('\n').pop());
    } catch {
      continue;
    }
    const torchDir = path.join(info.prefix, 'Torch');
    if (!exists(path.join(torchDir, 'TorchConfig.cmake'))) continue;
    return {
      source: `Python torch (${py})`,
      root: path.dirname(path.dirname(info.prefix)),
      torchDir,
      libDir: info.lib,
      version: String(info.version).split('+')[0],
      flavour: info.cuda ? `cuda${info.cuda}` : flavourOf(info.lib),
    };
  }
  return null;
}

function fromSystem() {
  const arch = { x64: 'x86_64', arm64: 'aarch64' }[process.arch] || process.arch;
  const dirs = [
    `/usr/lib/${arch}-linux-gnu/cmake/Torch`,
    '/usr/lib/cmake/Torch',
    '/usr/local/lib/cmake/Torch',
    '/usr/share/cmake/Torch',
    '/usr/local/share/cmake/Torch',
  ];
  for (const torchDir of dirs) {
    if (!exists(path.join(torchDir, 'TorchConfig.cmake'))) continue;
    // <lib>/cmake/Torch or <prefix>/share/cmake/Torch
    const libDir = torchDir.includes('/share/') ? path.resolve(torchDir, '../../../lib') : path.resolve(torchDir, '../..');
    return {
      source: 'system',
      root: path.dirname(libDir),
      torchDir,
      libDir,
      version: headerVersion(['/usr/include', '/usr/local/include']),
      flavour: flavourOf(libDir),
    };
  }
  return null;
}

function cacheDir() {
  const base = process.env.TORCH_NODE_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'torch-node');
  return path.join(base, 'libtorch');
}

/** Which official archive to fetch: TORCH_NODE_CUDA (e.g. "cu130", "cpu") or the driver seen by nvidia-smi. */
function downloadFlavour(log) {
  const asked = process.env.TORCH_NODE_CUDA;
  if (asked) return asked === '0' || asked === 'cpu' ? 'cpu' : asked.startsWith('cu') ? asked : `cu${asked.replace('.', '')}`;
  const r = spawnSync('nvidia-smi', ['--query-gpu=driver_version', '--format=csv,noheader'], { encoding: 'utf8' });
  if (r.status === 0 && r.stdout.trim()) {
    log(`an NVIDIA driver (${r.stdout.trim().split('\n')[0]}) is present: choosing the CUDA 13.0 build`);
    return 'cu130';
  }
  return 'cpu';
}

function downloadUrl(flavour) {
  if (process.env.TORCH_NODE_LIBTORCH_URL) return process.env.TORCH_NODE_LIBTORCH_URL;
  return `https://download.pytorch.org/libtorch/${flavour}/libtorch-shared-with-deps-${DOWNLOAD_VERSION}%2B${flavour}.zip`;
}

/** Downloads `url` to `file`, resuming a partial download, with a progress line on stderr. */
async function download(url, file, log) {
  const partial = `${file}.part`;
  const have = exists(partial) ? fs.statSync(partial).size : 0;
  const res = await fetch(url, { headers: have ? { Range: `bytes=${have}-` } : {} });
  if (!res.ok && res.status !== 206) throw new Error(`download of ${url} failed: HTTP ${res.status}`);
  const append = res.status === 206;
  const total = Number(res.headers.get('content-length') || 0) + (append ? have : 0);
  const out = fs.createWriteStream(partial, { flags: append ? 'a' : 'w' });
  let done = append ? have : 0;
  let last = 0;
  for await (const chunk of res.body) {
    out.write(chunk);
    done += chunk.length;
    if (Date.now() - last > 500 && process.stderr.isTTY) {
      last = Date.now();
      const pct = total ? ((100 * done) / total).toFixed(1) : '?';
      process.stderr.write(`\rtorch-node: downloading LibTorch ${(done / 1e6).toFixed(0)} MB (${pct}%)   `);
    }
  }
  await new Promise((resolve, reject) => out.end((err) => (err ? reject(err) : resolve())));
  if (process.stderr.isTTY) process.stderr.write('\n');
  fs.renameSync(partial, file);
}

function sha256(file) {
  const h = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  let n;
  while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) h.update(buf.subarray(0, n));
  fs.closeSync(fd);
  return h.digest('hex');
}

async function fromDownload(log) {
  if (process.env.TORCH_NODE_NO_DOWNLOAD) return null;
  const flavour = downloadFlavour(log);
  const url = downloadUrl(flavour);
  const dir = path.join(cacheDir(), `${DOWNLOAD_VERSION}-${flavour}`);
  const found = fromPrefix(path.join(dir, 'libtorch'), `download (${url})`);
  if (found) return found;
  fs.mkdirSync(dir, { recursive: true });
  const zip = path.join(dir, 'libtorch.zip');
  try {
    if (!exists(zip)) {
      log(`downloading ${url} into ${dir}`);
      await download(url, zip, log);
    }
  } catch (err) {
    log(`the official LibTorch could not be downloaded (${err.cause ? err.cause.message || err.cause.code : err.message})`);
    return null;
  }
  const digest = sha256(zip);
  const expected = process.env.TORCH_NODE_LIBTORCH_SHA256;
  if (expected && expected.toLowerCase() !== digest) {
    fs.rmSync(zip);
    throw new Error(`the LibTorch archive from ${url} has SHA-256 ${digest}, expected ${expected}; it was deleted`);
  }
  const test = spawnSync('unzip', ['-tq', zip], { encoding: 'utf8' });
  if (test.status !== 0) {
    fs.rmSync(zip);
    throw new Error(`the LibTorch archive from ${url} is corrupt (unzip -t failed); it was deleted, run again to retry`);
  }
  execFileSync('unzip', ['-q', '-o', zip, '-d', dir]);
  fs.writeFileSync(path.join(dir, 'SHA256'), `${digest}  libtorch.zip\n`);
  fs.rmSync(zip);
  return fromPrefix(path.join(dir, 'libtorch'), `download (${url})`);
}

function fromApt(log) {
  const isRoot = process.getuid && process.getuid() === 0;
  if (!isRoot || !exists('/usr/bin/apt-get') || process.env.TORCH_NODE_NO_APT) return null;
  log('no LibTorch found: installing Debian\'s libtorch-dev with apt-get (set TORCH_NODE_NO_APT=1 to prevent this)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'libtorch-dev'], { stdio: 'inherit', env });
  if (r.status !== 0) return null;
  const found = fromSystem();
  if (found) found.source = 'system (installed with apt-get)';
  return found;
}

const HELP = `no LibTorch was found. Possible solutions:
  - Debian/Ubuntu:   sudo apt-get install libtorch-dev
  - Python torch:    pip install torch   (torch-node uses its LibTorch; set TORCH_NODE_PYTHON to pick the interpreter)
  - any LibTorch:    unzip libtorch-*.zip from https://pytorch.org/get-started/locally/ and set LIBTORCH=/path/to/libtorch
  - a mirror:        TORCH_NODE_LIBTORCH_URL=https://.../libtorch.zip npm rebuild torch-node`;

/** Resolves LibTorch by the routes in order; throws with the possible solutions when none works. */
async function resolveLibtorch({ log = () => {} } = {}) {
  const routes = [fromEnv, fromPython, () => fromSystem(), fromDownload, fromApt];
  for (const route of routes) {
    const found = await route(log);
    if (found) return found;
  }
  throw new Error(HELP);
}

module.exports = { resolveLibtorch, fromPrefix, fromSystem, fromPython, headerVersion, DOWNLOAD_VERSION };
