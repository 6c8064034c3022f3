#!/usr/bin/env node
'use strict';
// Makes a prebuilt addon for the LibTorch that scripts/fetch-libtorch resolves (libtorch.json):
//   npm run make-prebuild                     build from source, then copy into prebuilds/<platform>-<arch>/
//   npm run make-prebuild -- --from-build     copy the current build/Release addon (it must be up to date)
//   npm run make-prebuild -- --out DIR        write into DIR/<platform>-<arch>/ instead of prebuilds/
// The file is named by its LibTorch (torch_node.libtorch-1_13_0.cpu.napi.glibc.node) and has a JSON sidecar
// with the LibTorch version, flavour, C++ ABI, a hash of native/ and CMakeLists.txt, and its NEEDED libraries.
// An older prebuild for the same LibTorch version and flavour is replaced.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const addon = require('./addon');
const build = require('./build');

function parseArgs(argv) {
  const opts = { fromBuild: false, out: path.join(build.root, 'prebuilds') };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--from-build') opts.fromBuild = true;
    else if (argv[i] === '--out') opts.out = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (expected --from-build, --out DIR)`);
  }
  return opts;
}

/** Copies the from-source build into `outDir` as the prebuild for `record`; returns the file written. */
function writePrebuild(outDir, record) {
  const meta = addon.describeBuild(build.addonPath, record, build.root);
  const dir = path.join(outDir, addon.PLATFORM);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${addon.prebuildName(meta)}.node`);
  fs.copyFileSync(build.addonPath, file);
  // Symbols are not needed to load or run; stripping makes the file several times smaller.
  spawnSync('strip', ['--strip-unneeded', file], { stdio: 'ignore' });
  fs.writeFileSync(addon.sidecarOf(file), JSON.stringify(meta, null, 2) + '\n');
  return file;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  let record;
  if (opts.fromBuild) {
    record = addon.readRecord(build.root);
    if (!record) throw new Error('no libtorch.json: run `node scripts/fetch-libtorch` first');
    if (!fs.existsSync(build.addonPath)) throw new Error(`${build.addonPath} does not exist: build it first (npm run build:native)`);
    if (build.buildIsStale()) throw new Error(`${build.addonPath} is older than native/, CMakeLists.txt or libtorch.json: rebuild it first`);
  } else {
    record = build.resolveLibtorch({ TORCH_NODE_REQUIRE_CMAKE: '1' });
    build.compileNative();
  }
  const file = writePrebuild(opts.out, record);
  const kb = Math.round(fs.statSync(file).size / 1024);
  console.error(`torch-node: wrote ${path.relative(process.cwd(), file)} (${kb} KiB) for LibTorch ${record.version} (${addon.flavourTag(record.flavour)})`);
}

if (require.main === module) {
  try {
    main();
  } catch (err) {
    console.error(`torch-node: ${err.message}`);
    process.exit(1);
  }
}

module.exports = { writePrebuild };
