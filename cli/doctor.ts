// `torch-node doctor`: what was resolved and loaded, and for each problem found, the fix.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

interface LibtorchRecord {
  source: string;
  root: string;
  torchDir: string;
  libDir: string;
  version: string;
  flavour: string;
}

const root = path.join(__dirname, '..', '..');

/** Runs the checks and prints the report; returns the number of problems found. */
export function doctor(log: (line: string) => void = console.log): number {
  const problems: string[] = [];
  log(`torch-node doctor`);
  log(`  node:        ${process.version} (${process.platform}-${process.arch}, N-API ${process.versions.napi})`);
  const recordPath = path.join(root, 'libtorch.json');
  let record: LibtorchRecord | undefined;
  if (fs.existsSync(recordPath)) {
    record = JSON.parse(fs.readFileSync(recordPath, 'utf8')) as LibtorchRecord;
    log(`  LibTorch:    ${record.version} (${record.flavour}) from ${record.source}`);
    log(`               ${record.libDir}`);
    if (!fs.existsSync(path.join(record.libDir, 'libtorch.so')) && !fs.existsSync(path.join(record.libDir, 'libtorch_cpu.so'))) {
      problems.push(`the LibTorch folder ${record.libDir} has no libtorch.so: reinstall it, or run \`node scripts/fetch-libtorch\` and \`npm rebuild torch-node\``);
    }
  } else {
    log('  LibTorch:    not resolved at build time (a prebuilt addon, or the build never ran)');
  }
  let addonPath = '';
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const ngb = require('node-gyp-build') as { path(dir: string): string };
    addonPath = ngb.path(root);
    log(`  addon:       ${addonPath}`);
  } catch (err) {
    problems.push(`no addon was found: run \`npm rebuild torch-node\` (${(err as Error).message.split('\n')[0]})`);
  }
  if (addonPath) {
    try {
      // Loading the library is the real test: it runs the addon's init.
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const torch = require('../lib') as typeof import('../lib');
      const v = torch.__libtorchVersion;
      log(`  loaded:      LibTorch ${v}, ${torch.getNumThreads()} threads (${os.cpus().length} cores)`);
      if (record && record.version !== 'unknown' && record.version !== v) {
        problems.push(`the addon runs on LibTorch ${v} but was built for ${record.version}: run \`npm rebuild torch-node\``);
      }
      const built = torch.cuda.isBuilt();
      const count = torch.cuda.deviceCount();
      log(`  CUDA:        ${built ? 'built with CUDA' : 'CPU-only LibTorch'}; ${count} GPU${count === 1 ? '' : 's'} visible; cuDNN ${torch.backends.cudnn.isAvailable() ? 'available' : 'not available'}`);
      for (let i = 0; i < count; i++) log(`               cuda:${i} ${torch.cuda.getDeviceName(i)}`);
      const d = torch.distributed;
      log(`  distributed: ${d.isAvailable() ? `c10d with ${d.isNcclAvailable() ? 'Gloo and NCCL' : 'Gloo'}` : 'not built (c10d or gloo headers were missing: install libgloo-dev and run `npm rebuild torch-node`)'}`);
      if (!built && hasNvidiaDriver()) {
        problems.push('an NVIDIA driver is present but the LibTorch is CPU-only: install a CUDA LibTorch (a CUDA Python torch, or TORCH_NODE_CUDA=cu130 with the download route) and run `npm rebuild torch-node`');
      }
    } catch (err) {
      problems.push(`the addon failed to load: ${(err as Error).message.split('\n')[0]}. Run \`npm rebuild torch-node\`; if it persists, check that LIBTORCH points at a complete LibTorch`);
    }
  }
  if (problems.length === 0) {
    log('\nNo problems found.');
  } else {
    log(`\n${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
    for (const p of problems) log(`  - ${p}`);
  }
  return problems.length;
}

function hasNvidiaDriver(): boolean {
  return fs.existsSync('/proc/driver/nvidia/version');
}
