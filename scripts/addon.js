'use strict';
// Which compiled addon fits the resolved LibTorch, and loading it safely. Shared by install.js, build.js,
// prebuild.js, lib/native.ts and `torch-node doctor`.
//
// Every addon has a JSON sidecar (same name, .json) recording the LibTorch it was built against (version,
// flavour, C++ ABI), a hash of the native sources and its DT_NEEDED libraries. A candidate is used only when
// it matches libtorch.json; the check runs before dlopen, because an addon linked with `-z now` against
// another LibTorch fails in dlopen or, with a compatible-looking ABI, crashes later.
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');

const ADDON = 'torch_node';
const PLATFORM = `${process.platform}-${process.arch}`;

/** 'cpu', 'cu12x', 'cu13x', 'rocm': the flavour part of a prebuild's tag (CUDA minor versions share a tag). */
function flavourTag(flavour) {
  const f = String(flavour || 'cpu');
  const cu = f.match(/^cu(?:da)?(\d{2})/);
  if (cu) return `cu${cu[1]}x`;
  return f;
}

/** A prebuild's file name without extension, in node-gyp-build's tag style (dot-separated, no dots inside). */
function prebuildName(meta) {
  return `${ADDON}.libtorch-${meta.libtorch.replace(/\./g, '_')}.${flavourTag(meta.flavour)}.napi.glibc`;
}

function platformDir(root) {
  return path.join(root, 'prebuilds', PLATFORM);
}

function sidecarOf(file) {
  return file.replace(/\.node$/, '.json');
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** The LibTorch recorded by scripts/fetch-libtorch, or null. */
function readRecord(root) {
  return readJson(path.join(root, 'libtorch.json'));
}

function listFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** SHA-256 over native/ and CMakeLists.txt (names and contents), or null where the sources are absent. */
function sourceHash(root) {
  const nativeDir = path.join(root, 'native');
  const cmake = path.join(root, 'CMakeLists.txt');
  if (!fs.existsSync(nativeDir) || !fs.existsSync(cmake)) return null;
  const files = [...listFiles(nativeDir), cmake].map((f) => path.relative(root, f).split(path.sep).join('/')).sort();
  const h = crypto.createHash('sha256');
  for (const rel of files) {
    h.update(`${rel}\0`);
    h.update(fs.readFileSync(path.join(root, rel)));
    h.update('\0');
  }
  return h.digest('hex');
}

/** The DT_NEEDED, DT_RUNPATH/DT_RPATH and DT_SONAME entries of a 64-bit little-endian ELF file. */
function elfDynamic(file) {
  const b = fs.readFileSync(file);
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1) {
    throw new Error(`${file} is not a 64-bit little-endian ELF file`);
  }
  const shoff = Number(b.readBigUInt64LE(0x28));
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  const section = (i) => {
    const o = shoff + i * shentsize;
    return { type: b.readUInt32LE(o + 4), offset: Number(b.readBigUInt64LE(o + 0x18)), size: Number(b.readBigUInt64LE(o + 0x20)), link: b.readUInt32LE(o + 0x28) };
  };
  const result = { needed: [], runpath: [], soname: null };
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    if (s.type !== 6) continue; // SHT_DYNAMIC
    const strtab = section(s.link).offset;
    const str = (off) => b.toString('utf8', strtab + off, b.indexOf(0, strtab + off));
    for (let o = s.offset; o + 16 <= s.offset + s.size; o += 16) {
      const tag = Number(b.readBigUInt64LE(o));
      const val = Number(b.readBigUInt64LE(o + 8));
      if (tag === 0) break;
      if (tag === 1) result.needed.push(str(val));
      else if (tag === 14) result.soname = str(val);
      else if (tag === 15 || tag === 29) result.runpath.push(...str(val).split(':'));
    }
  }
  return result;
}

/** The sidecar written next to an addon built against `record` (libtorch.json) from the sources in `root`. */
function describeBuild(addonFile, record, root) {
  return {
    libtorch: record.version,
    flavour: record.flavour,
    cuda: record.cuda || null,
    cxx11abi: record.cxx11abi === undefined ? null : record.cxx11abi,
    platform: PLATFORM,
    napi: 'experimental', // Node-API's GC-time finalizers: Node >= 18.19 / 20.10
    sourceHash: sourceHash(root),
    needed: elfDynamic(addonFile).needed,
    builtWith: String(record.source).replace(/\s*\(.*\)$/, ''), // the route only: no machine paths in a shipped file
  };
}

/** LibTorch's own libraries (the ones that must come from the resolved LibTorch folder). */
function isTorchLibrary(name) {
  return /^lib(c10|torch|shm|caffe2)[._a-z0-9-]*\.so/.test(name);
}

/** The addons present: a from-source build first, then the prebuilds for this platform. */
function candidates(root) {
  const list = [];
  const build = path.join(root, 'build', 'Release', `${ADDON}.node`);
  if (fs.existsSync(build)) list.push({ file: build, kind: 'build', meta: readJson(sidecarOf(build)) });
  const dir = platformDir(root);
  if (fs.existsSync(dir)) {
    for (const name of fs.readdirSync(dir).sort()) {
      if (!name.endsWith('.node')) continue;
      const file = path.join(dir, name);
      list.push({ file, kind: 'prebuild', meta: readJson(sidecarOf(file)) });
    }
  }
  return list;
}

function describeRecord(record) {
  return `${record.version} (${flavourTag(record.flavour)}) at ${record.libDir}`;
}

function describeMeta(meta) {
  return `${meta.libtorch} (${flavourTag(meta.flavour)})`;
}

/**
 * Why `candidate` cannot run on `record`, or null when it fits. `hash` is the current sources' hash (null:
 * no sources to compare with); a from-source build is not compared by hash (build-if-stale watches it).
 */
function mismatch(candidate, record, hash) {
  const meta = candidate.meta;
  if (!meta) {
    return candidate.kind === 'build' ? null : `it has no ${path.basename(sidecarOf(candidate.file))} saying which LibTorch it was built for`;
  }
  if (meta.libtorch !== record.version || flavourTag(meta.flavour) !== flavourTag(record.flavour)) {
    return `it was built for LibTorch ${describeMeta(meta)}, but the LibTorch resolved is ${describeRecord(record)}`;
  }
  if (meta.cxx11abi !== null && record.cxx11abi !== undefined && record.cxx11abi !== null && meta.cxx11abi !== record.cxx11abi) {
    return `it was built with _GLIBCXX_USE_CXX11_ABI=${meta.cxx11abi ? 1 : 0}, but the LibTorch resolved uses ${record.cxx11abi ? 1 : 0}`;
  }
  if (candidate.kind === 'prebuild' && hash && meta.sourceHash !== hash) {
    return 'it was built from other native sources than these (its source hash differs)';
  }
  return null;
}

/** LibTorch libraries the addon needs that the resolved LibTorch folder lacks. */
function missingLibraries(meta, record) {
  if (!meta || !Array.isArray(meta.needed) || !record) return [];
  return meta.needed.filter((n) => isTorchLibrary(n) && !fs.existsSync(path.join(record.libDir, n)));
}

class AddonError extends Error {}

/** A source checkout (tsconfig.json is not in the published package), where native/ may have changed. */
function isCheckout(root) {
  return fs.existsSync(path.join(root, 'tsconfig.json'));
}

/**
 * The addon to load for the resolved LibTorch: { file, kind, meta }. Throws an AddonError naming what was
 * found and why it does not fit, and the fix. `checkSources`: refuse prebuilds made from other native sources
 * (always in a checkout; an installed package was checked when it was installed).
 */
function chooseAddon(root, record = readRecord(root), { checkSources = isCheckout(root) } = {}) {
  const list = candidates(root);
  if (!record) {
    const build = list.find((c) => c.kind === 'build');
    if (build) return build; // a development build made without scripts/fetch-libtorch
    throw new AddonError(
      'LibTorch was never resolved for this installation (no libtorch.json: did the install script run?). ' +
        'Run `npm rebuild torch-node` (it prints which LibTorch it finds).',
    );
  }
  const hash = checkSources ? sourceHash(root) : null;
  const refused = [];
  for (const c of list) {
    const why = mismatch(c, record, hash);
    if (why) refused.push(`${path.relative(root, c.file)}: ${why}`);
    else return c;
  }
  const fix = 'Run `npm rebuild torch-node` to build the addon from source for this LibTorch (needs cmake and a C++ compiler)';
  if (refused.length === 0) throw new AddonError(`no addon is built for LibTorch ${describeRecord(record)}. ${fix}.`);
  throw new AddonError(`no addon fits LibTorch ${describeRecord(record)}:\n  - ${refused.join('\n  - ')}\n${fix}, or point LIBTORCH at the LibTorch the addon was built for.`);
}

/**
 * Loads LibTorch's libraries that the addon needs from the resolved folder by absolute path, so that the
 * addon's own NEEDED entries resolve to them whatever its rpath says (a prebuild's rpath names the machine it
 * was built on). RTLD_NODELETE keeps them loaded when Node closes them for not being addons.
 */
function preloadLibraries(meta, record) {
  if (!meta || !Array.isArray(meta.needed) || !record) return;
  const { RTLD_NOW } = os.constants.dlopen;
  const RTLD_NODELETE = 0x1000; // glibc's value; Node's os.constants.dlopen does not list it
  for (const name of meta.needed) {
    const file = path.join(record.libDir, name);
    if (!isTorchLibrary(name) || !fs.existsSync(file)) continue;
    try {
      process.dlopen({ exports: {} }, file, RTLD_NOW | RTLD_NODELETE);
    } catch (err) {
      if (!/did not self-register/.test(err.message)) {
        throw new AddonError(`the LibTorch library ${file} could not be loaded: ${err.message.split('\n')[0]}`);
      }
    }
  }
}

/** What to do about a dlopen error of the addon. */
function explainLoadError(err, candidate, record) {
  const msg = String(err && err.message ? err.message : err).split('\n')[0];
  const lib = (msg.match(/([\w.+-]+\.so[\w.]*): cannot open shared object file/) || [])[1];
  const where = `${candidate.kind === 'prebuild' ? 'the prebuilt addon' : 'the addon'} ${candidate.file}`;
  if (lib && !isTorchLibrary(lib)) {
    const hint = /^libjpeg/.test(lib) ? ' (Debian/Ubuntu: apt-get install libjpeg62-turbo)' : '';
    return `${where} needs ${lib}, which is not installed${hint}; or run \`npm rebuild torch-node\` to build against what is here`;
  }
  if (lib) return `${where} needs ${lib}, which the LibTorch at ${record ? record.libDir : '(unresolved)'} lacks: reinstall LibTorch, or run \`npm rebuild torch-node\``;
  if (/undefined symbol/.test(msg)) {
    return `${where} does not match the LibTorch libraries it found (${msg}): run \`npm rebuild torch-node\``;
  }
  return `${where} could not be loaded (${msg}): run \`npm rebuild torch-node\`, and \`npx torch-node doctor\` to see what is installed`;
}

/**
 * Chooses, checks and loads the addon; throws an AddonError in words for every failure (no dlopen of an addon
 * for another LibTorch). Returns { addon, candidate, record }.
 */
function loadAddon(root) {
  const record = readRecord(root);
  const candidate = chooseAddon(root, record);
  const missing = missingLibraries(candidate.meta, record);
  if (missing.length) {
    throw new AddonError(
      `the LibTorch folder ${record.libDir} lacks ${missing.join(', ')}, which the addon needs: ` +
        'reinstall that LibTorch (or point LIBTORCH at a complete one) and run `npm rebuild torch-node`',
    );
  }
  preloadLibraries(candidate.meta, record);
  const mod = { exports: {} };
  try {
    process.dlopen(mod, candidate.file, os.constants.dlopen.RTLD_NOW);
  } catch (err) {
    throw new AddonError(explainLoadError(err, candidate, record));
  }
  return { addon: mod.exports, candidate, record };
}

module.exports = {
  ADDON,
  PLATFORM,
  AddonError,
  flavourTag,
  prebuildName,
  platformDir,
  sidecarOf,
  readRecord,
  sourceHash,
  elfDynamic,
  describeBuild,
  candidates,
  mismatch,
  missingLibraries,
  chooseAddon,
  isCheckout,
  loadAddon,
};
