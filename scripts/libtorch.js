'use strict';
// Finding LibTorch: shared by scripts/fetch-libtorch (build time) and `torch-node doctor`.
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { execFileSync, spawnSync } = require('child_process');

/** The LibTorch version of the official archives the download route fetches: the CUDA prebuild's version. */
const DOWNLOAD_VERSION = '2.11.0';
/** Its CUDA builds on download.pytorch.org, oldest first (there is a 'cpu' build too). */
const DOWNLOAD_FLAVOURS = ['cu126', 'cu128', 'cu130'];

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

/** '1.13.0a0', '2.11.0+cu130' -> '1.13.0', '2.11.0'. */
function normalizeVersion(v) {
  const m = String(v).match(/^(\d+)\.(\d+)(?:\.(\d+))?/);
  return m ? `${m[1]}.${m[2]}.${m[3] || 0}` : 'unknown';
}

/**
 * 'cpu', 'cu130' (CUDA 13.0), 'cuda' (CUDA of unknown version) or 'rocm', from the libraries present and, in the
 * official archives, the build-version file ('2.11.0+cu130').
 */
function flavourOf(libDir, root) {
  const tagged = root && exists(path.join(root, 'build-version')) ? fs.readFileSync(path.join(root, 'build-version'), 'utf8').trim() : '';
  const tag = (tagged.match(/\+(cpu|cu\d+|rocm[\d.]*)$/) || [])[1];
  if (tag) return tag.startsWith('rocm') ? 'rocm' : tag;
  if (!libDir || !exists(libDir)) return 'cpu';
  const names = fs.readdirSync(libDir);
  if (names.some((n) => n.startsWith('libtorch_cuda'))) {
    // libcudart-<hash>.so.13 or libcudart.so.13 ship inside some LibTorch folders: the major version at least.
    const rt = names.map((n) => n.match(/^libcudart(?:-[0-9a-f]+)?\.so\.(\d+)(?:\.(\d+))?/)).find(Boolean);
    return rt && rt[2] !== undefined ? `cu${rt[1]}${rt[2]}` : 'cuda';
  }
  if (names.some((n) => n.startsWith('libtorch_hip'))) return 'rocm';
  return 'cpu';
}

/** _GLIBCXX_USE_CXX11_ABI from TorchConfig.cmake: true, false, or null when it does not say. */
function cxx11AbiOf(torchDir) {
  const file = torchDir && path.join(torchDir, 'TorchConfig.cmake');
  if (!file || !exists(file)) return null;
  const m = fs.readFileSync(file, 'utf8').match(/_GLIBCXX_USE_CXX11_ABI=([01])/);
  return m ? m[1] === '1' : null;
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
    flavour: flavourOf(libDir, prefix),
    cxx11abi: cxx11AbiOf(torchDir),
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

const pythonProbes = new Map(); // interpreter -> what it said about its torch (null: no torch)

/**
 * The LibTorch inside an installed Python torch. `librariesOnly`: also accept one without CMake files (Debian's
 * python3-torch ships only symlinks to its libraries), which can run a prebuilt addon but not build one.
 */
function fromPython(log, { librariesOnly = false } = {}) {
  const candidates = [process.env.TORCH_NODE_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean);
  const script =
    'import json, os, torch, torch.utils\n' +
    'print(json.dumps({"prefix": torch.utils.cmake_prefix_path, "version": torch.__version__, "cuda": torch.version.cuda, ' +
    '"abi": bool(torch._C._GLIBCXX_USE_CXX11_ABI), "lib": os.path.join(os.path.dirname(torch.__file__), "lib")}))';
  for (const py of [...new Set(candidates)]) {
    if (!pythonProbes.has(py)) {
      const r = spawnSync(py, ['-c', script], { encoding: 'utf8', timeout: 60000 });
      let parsed = null;
      try {
        if (r.status === 0 && r.stdout) parsed = JSON.parse(r.stdout.trim().split('\n').pop());
      } catch {
        parsed = null;
      }
      pythonProbes.set(py, parsed);
    }
    const info = pythonProbes.get(py);
    if (!info) continue;
    const torchDir = path.join(info.prefix, 'Torch');
    const hasCmake = exists(path.join(torchDir, 'TorchConfig.cmake'));
    const c10 = exists(info.lib) && fs.readdirSync(info.lib).find((n) => /^libc10\.so/.test(n));
    if (!hasCmake && !(librariesOnly && c10)) continue;
    return {
      source: `Python torch (${py})`,
      root: path.dirname(info.lib),
      torchDir: hasCmake ? torchDir : null,
      // Debian's torch/lib holds symlinks into the system's library folder: the libraries are where they lead.
      libDir: c10 ? path.dirname(fs.realpathSync(path.join(info.lib, c10))) : info.lib,
      version: normalizeVersion(info.version),
      flavour: info.cuda ? `cu${String(info.cuda).replace('.', '')}` : flavourOf(info.lib),
      cxx11abi: info.abi,
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
      cxx11abi: cxx11AbiOf(torchDir),
    };
  }
  return null;
}

function cacheDir() {
  const base = process.env.TORCH_NODE_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'torch-node');
  return path.join(base, 'libtorch');
}

/** 'cu130' from '13.0', '130', 'cu130'; 'cpu' from 'cpu', '0', 'none'; null for 'auto'/'1'/unset. */
function parseCudaRequest(value) {
  const v = String(value || '').trim().toLowerCase();
  if (!v || v === 'auto' || v === '1') return null;
  if (v === 'cpu' || v === '0' || v === 'none') return 'cpu';
  const m = v.match(/^(?:cu|cuda)?(\d{2})\.?(\d)$/);
  if (!m) throw new Error(`TORCH_NODE_CUDA=${value} is not understood: use cpu, or a CUDA version such as 13.0 or cu130 (LibTorch ${DOWNLOAD_VERSION}: ${DOWNLOAD_FLAVOURS.join(', ')})`);
  return `cu${m[1]}${m[2]}`;
}

/** Whether TORCH_NODE_CUDA asks for a CUDA build. */
function cudaRequested() {
  const f = parseCudaRequest(process.env.TORCH_NODE_CUDA);
  return f !== null && f !== 'cpu';
}

/** The highest CUDA version the NVIDIA driver supports ("CUDA Version: 13.0" in nvidia-smi's header), or null. */
function driverCudaVersion() {
  const r = spawnSync(process.env.TORCH_NODE_NVIDIA_SMI || 'nvidia-smi', [], { encoding: 'utf8', timeout: 20000 });
  if (r.status !== 0 || !r.stdout) return null;
  const m = r.stdout.match(/CUDA Version:\s*(\d+)\.(\d+)/);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

const flavourNumber = (f) => Number(f.slice(2)); // 'cu128' -> 128

/**
 * Which official archive to fetch: TORCH_NODE_CUDA ('cpu', '13.0', 'cu130'), else the newest CUDA build the
 * NVIDIA driver supports, else the CPU build (with a warning when a driver is present but too old).
 */
function downloadFlavour(log) {
  const asked = parseCudaRequest(process.env.TORCH_NODE_CUDA);
  if (asked === 'cpu') return 'cpu';
  if (asked) {
    if (DOWNLOAD_FLAVOURS.includes(asked)) return asked;
    const lower = DOWNLOAD_FLAVOURS.filter((f) => flavourNumber(f) <= flavourNumber(asked)).pop();
    if (!lower) throw new Error(`LibTorch ${DOWNLOAD_VERSION} has no build for CUDA ${asked}; its builds are ${DOWNLOAD_FLAVOURS.join(', ')} and cpu`);
    log(`LibTorch ${DOWNLOAD_VERSION} has no ${asked} build: taking ${lower}, the newest below it`);
    return lower;
  }
  const driver = driverCudaVersion();
  if (!driver) return 'cpu';
  const supported = DOWNLOAD_FLAVOURS.filter((f) => flavourNumber(f) <= driver.major * 10 + driver.minor).pop();
  if (!supported) {
    log(
      `warning: the NVIDIA driver supports CUDA ${driver.major}.${driver.minor} only, and LibTorch ${DOWNLOAD_VERSION} needs ` +
        `${DOWNLOAD_FLAVOURS[0].slice(2, 4)}.${DOWNLOAD_FLAVOURS[0].slice(4)} or newer: downloading the CPU build (update the driver for CUDA)`,
    );
    return 'cpu';
  }
  log(`an NVIDIA driver for CUDA ${driver.major}.${driver.minor} is present: choosing the ${supported} build`);
  return supported;
}

/** The archive's URL; TORCH_NODE_LIBTORCH_URL is either the whole URL of a .zip or a mirror of download.pytorch.org/libtorch. */
function downloadUrl(flavour) {
  const mirror = process.env.TORCH_NODE_LIBTORCH_URL;
  if (mirror && /\.zip(\?.*)?$/.test(mirror)) return mirror;
  const base = (mirror || 'https://download.pytorch.org/libtorch').replace(/\/+$/, '');
  return `${base}/${flavour}/libtorch-shared-with-deps-${DOWNLOAD_VERSION}%2B${flavour}.zip`;
}

/** Shows progress: a rewritten line on a terminal, a line every 10% otherwise. */
function progressReporter(log) {
  let lastTime = 0;
  let lastTenth = -1;
  return (done, total, final) => {
    const pct = total ? (100 * done) / total : null;
    const text = `downloading LibTorch: ${(done / 1e6).toFixed(0)} MB${total ? ` of ${(total / 1e6).toFixed(0)} MB (${pct.toFixed(1)}%)` : ''}`;
    if (process.stderr.isTTY) {
      if (final || Date.now() - lastTime > 500) {
        lastTime = Date.now();
        process.stderr.write(`\rtorch-node: ${text}   ${final ? '\n' : ''}`);
      }
    } else if (pct !== null && Math.floor(pct / 10) > lastTenth) {
      lastTenth = Math.floor(pct / 10);
      log(text);
    }
  };
}

/** One request: appends to `partial` from its current size (HTTP Range) or rewrites it when the server ignores the range. */
async function downloadOnce(url, partial, report) {
  const have = exists(partial) ? fs.statSync(partial).size : 0;
  const res = await fetch(url, { headers: have ? { Range: `bytes=${have}-` } : {} });
  if (res.status === 416 && have) return; // the partial file is already whole
  if (!res.ok) {
    const err = new Error(`HTTP ${res.status} ${res.statusText}`);
    err.permanent = res.status >= 400 && res.status < 500;
    throw err;
  }
  let append = res.status === 206;
  if (append) {
    const start = Number(((res.headers.get('content-range') || '').match(/bytes (\d+)-/) || [])[1]);
    if (start !== have) throw new Error(`the server resumed at byte ${start}, not ${have}`);
  }
  const total = Number(res.headers.get('content-length') || 0) + (append ? have : 0);
  const out = fs.createWriteStream(partial, { flags: append ? 'a' : 'w' });
  let done = append ? have : 0;
  try {
    for await (const chunk of res.body) {
      if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
      done += chunk.length;
      report(done, total, false);
    }
  } finally {
    await new Promise((resolve, reject) => out.end((err) => (err ? reject(err) : resolve())));
  }
  if (total && done !== total) throw new Error(`the connection ended after ${done} of ${total} bytes`);
  report(done, total, true);
}

/**
 * Downloads `url` to `file` through `file.part`, resuming after a cut connection (up to
 * TORCH_NODE_DOWNLOAD_ATTEMPTS tries in this run, default 5; a later run resumes too).
 */
async function download(url, file, log) {
  const partial = `${file}.part`;
  const attempts = Number(process.env.TORCH_NODE_DOWNLOAD_ATTEMPTS || 5);
  const report = progressReporter(log);
  for (let attempt = 1; ; attempt++) {
    try {
      await downloadOnce(url, partial, report);
      break;
    } catch (err) {
      const reason = err.cause ? err.cause.message || err.cause.code : err.message;
      if (err.permanent || attempt >= attempts) throw new Error(`download of ${url} failed: ${reason}`);
      log(`download interrupted (${reason}); resuming (attempt ${attempt + 1} of ${attempts})`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * attempt, 5000)));
    }
  }
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

/**
 * The official archive (or a mirror's), cached in $TORCH_NODE_CACHE/libtorch/<version>-<flavour>/libtorch.
 * The archive is checked against TORCH_NODE_LIBTORCH_SHA256 when given, and always with `unzip -t` (every
 * entry's CRC); a bad one is deleted and named.
 */
async function fromDownload(log) {
  if (process.env.TORCH_NODE_NO_DOWNLOAD) return null;
  const flavour = downloadFlavour(log);
  const url = downloadUrl(flavour);
  const dir = path.join(cacheDir(), `${DOWNLOAD_VERSION}-${flavour}`);
  const source = `download (${url})`;
  let found = fromPrefix(path.join(dir, 'libtorch'), source);
  if (found) return found;
  fs.mkdirSync(dir, { recursive: true });
  const zip = path.join(dir, 'libtorch.zip');
  try {
    if (!exists(zip)) {
      log(`downloading ${url} into ${dir}`);
      await download(url, zip, log);
    }
  } catch (err) {
    log(`the official LibTorch could not be downloaded: ${err.message}`);
    return null;
  }
  const digest = sha256(zip);
  const expected = process.env.TORCH_NODE_LIBTORCH_SHA256;
  if (expected && expected.trim().toLowerCase() !== digest) {
    fs.rmSync(zip);
    throw new Error(`the LibTorch archive from ${url} has SHA-256 ${digest}, but TORCH_NODE_LIBTORCH_SHA256 is ${expected}; it was deleted`);
  }
  const test = spawnSync('unzip', ['-tq', zip], { encoding: 'utf8' });
  if (test.error) throw new Error('unpacking LibTorch needs the unzip command (Debian/Ubuntu: apt-get install unzip)');
  if (test.status !== 0) {
    fs.rmSync(zip);
    throw new Error(`the LibTorch archive from ${url} is corrupt (unzip -t failed); it was deleted, run again to retry`);
  }
  execFileSync('unzip', ['-q', '-o', zip, '-d', dir]);
  fs.writeFileSync(path.join(dir, 'SHA256'), `${digest}  libtorch.zip\n`);
  fs.rmSync(zip);
  found = fromPrefix(path.join(dir, 'libtorch'), source);
  if (!found) throw new Error(`the archive from ${url} holds no libtorch/share/cmake/Torch: is it a LibTorch archive?`);
  return found;
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

/**
 * Resolves LibTorch by the routes in order; throws with the possible solutions when none works.
 * `requireCmake` skips a LibTorch without CMake files (a source build needs them). When TORCH_NODE_CUDA asks
 * for CUDA, a CPU-only LibTorch found on the way is kept only as the last resort, with a warning.
 */
async function resolveLibtorch({ log = () => {}, requireCmake = false } = {}) {
  const pythonFirst = Boolean(process.env.TORCH_NODE_PYTHON);
  const routes = [
    fromEnv,
    (l) => fromPython(l, { librariesOnly: pythonFirst }),
    () => fromSystem(),
    (l) => (pythonFirst ? null : fromPython(l, { librariesOnly: true })),
    fromDownload,
    fromApt,
  ];
  const wantCuda = cudaRequested();
  let cpuFallback = null;
  for (const route of routes) {
    if (route === fromApt && cpuFallback) break; // apt's LibTorch is CPU-only too
    const found = await route(log);
    if (!found || (requireCmake && !found.torchDir)) continue;
    if (wantCuda && found.flavour === 'cpu') {
      log(`TORCH_NODE_CUDA=${process.env.TORCH_NODE_CUDA} asks for CUDA; the LibTorch from ${found.source} is CPU-only: looking further`);
      cpuFallback = cpuFallback || found;
      continue;
    }
    return found;
  }
  if (cpuFallback) {
    log(`warning: no CUDA LibTorch was found: using the CPU-only LibTorch from ${cpuFallback.source}`);
    return cpuFallback;
  }
  throw new Error(HELP);
}

/** LibTorch's core libraries (any version suffix) that `found.libDir` lacks. */
function missingCoreLibraries(found) {
  const names = exists(found.libDir) ? fs.readdirSync(found.libDir) : [];
  return ['libc10', 'libtorch_cpu', 'libtorch'].filter((lib) => !names.some((n) => n.startsWith(`${lib}.so`))).map((lib) => `${lib}.so`);
}

module.exports = {
  resolveLibtorch,
  missingCoreLibraries,
  fromPrefix,
  fromSystem,
  fromPython,
  fromDownload,
  downloadFlavour,
  downloadUrl,
  headerVersion,
  normalizeVersion,
  DOWNLOAD_VERSION,
  DOWNLOAD_FLAVOURS,
};
