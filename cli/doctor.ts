// `torch-node doctor`: what was resolved and loaded, and for each problem found, the fix. The addon is loaded
// only after the checks that can be made without loading it passed, so a broken setup is described, not hit.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';

interface LibtorchRecord {
  source: string;
  root: string;
  torchDir: string | null;
  libDir: string;
  version: string;
  flavour: string;
  cxx11abi?: boolean | null;
}

interface AddonMeta {
  libtorch: string;
  flavour: string;
  needed?: string[];
}

interface Candidate {
  file: string;
  kind: 'build' | 'prebuild';
  meta: AddonMeta | null;
}

/** scripts/addon.js, shared with the install scripts and lib/native.ts. */
interface AddonScripts {
  readRecord(root: string): LibtorchRecord | null;
  chooseAddon(root: string, record: LibtorchRecord | null): Candidate;
  missingLibraries(meta: AddonMeta | null, record: LibtorchRecord | null): string[];
  candidates(root: string): Candidate[];
  flavourTag(flavour: string): string;
}

const root = path.join(__dirname, '..', '..');

/** CUDA runtime and cuDNN libraries next to LibTorch's (official archives) or in Python's nvidia packages. */
function cudaLibrariesSeen(libDir: string): { cudart?: string; cudnn?: string } {
  const dirs = [libDir];
  const nvidia = path.resolve(libDir, '..', '..', 'nvidia');
  if (fs.existsSync(nvidia)) {
    for (const d of fs.readdirSync(nvidia)) dirs.push(path.join(nvidia, d, 'lib'));
  }
  const seen: { cudart?: string; cudnn?: string } = {};
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const rt = name.match(/^libcudart(?:-[0-9a-f]+)?\.so\.(\d+(?:\.\d+)?)/);
      if (rt && !seen.cudart) seen.cudart = rt[1];
      const dnn = name.match(/^libcudnn(?:-[0-9a-f]+)?\.so\.(\d+(?:\.\d+)*)/);
      if (dnn && !seen.cudnn) seen.cudnn = dnn[1];
    }
  }
  return seen;
}

function nvidiaDriver(): string | null {
  const r = spawnSync('nvidia-smi', ['--query-gpu=driver_version', '--format=csv,noheader'], { encoding: 'utf8', timeout: 20000 });
  if (r.status === 0 && r.stdout.trim()) return r.stdout.trim().split('\n')[0];
  return fs.existsSync('/proc/driver/nvidia/version') ? 'present' : null;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

/** Runs the checks and prints the report; returns the number of problems found. */
export function doctor(log: (line: string) => void = console.log): number {
  const problems: string[] = [];
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const scripts = require(path.join(root, 'scripts', 'addon.js')) as AddonScripts;
  log('torch-node doctor');
  log(`  node:        ${process.version} (${process.platform}-${process.arch}, N-API ${process.versions.napi})`);
  log(`  package:     ${root}`);

  const record = scripts.readRecord(root);
  if (record) {
    log(`  LibTorch:    ${record.version} (${record.flavour}) from ${record.source}`);
    log(`               libraries in ${record.libDir}`);
    if (!record.torchDir) log('               (no CMake files: runs a prebuilt addon, cannot build one)');
    if (!fs.existsSync(record.libDir)) {
      problems.push(`the LibTorch folder ${record.libDir} no longer exists: reinstall it, or run \`npm rebuild torch-node\` to resolve LibTorch again`);
    }
    if (record.flavour !== 'cpu') {
      const seen = cudaLibrariesSeen(record.libDir);
      log(`  CUDA libs:   runtime ${seen.cudart ?? 'not next to LibTorch (from the system)'}, cuDNN ${seen.cudnn ?? 'not seen'}`);
    }
  } else {
    log('  LibTorch:    not resolved (no libtorch.json)');
  }
  if (process.env.LIBTORCH && record && path.resolve(process.env.LIBTORCH) !== record.root) {
    problems.push(`LIBTORCH is set to ${process.env.LIBTORCH}, but torch-node was installed against ${record.root}: run \`npm rebuild torch-node\` to use it`);
  }

  let candidate: Candidate | undefined;
  try {
    candidate = scripts.chooseAddon(root, record);
    const what = candidate.kind === 'prebuild' ? 'prebuilt' : 'built from source';
    const built = candidate.meta ? ` for LibTorch ${candidate.meta.libtorch} (${scripts.flavourTag(candidate.meta.flavour)})` : '';
    log(`  addon:       ${candidate.file}`);
    log(`               ${what}${built}`);
  } catch (err) {
    const all = scripts.candidates(root);
    log(`  addon:       none usable (${all.length} present)`);
    problems.push((err as Error).message);
  }
  const missing = candidate ? scripts.missingLibraries(candidate.meta, record) : [];
  if (missing.length && record) {
    problems.push(
      `the LibTorch folder ${record.libDir} lacks ${missing.join(', ')}, which the addon needs: reinstall that LibTorch ` +
        '(or point LIBTORCH at a complete one) and run `npm rebuild torch-node`',
    );
  }

  const driver = nvidiaDriver();
  if (candidate && missing.length === 0) {
    try {
      // Loading the library is the real test: it runs the addon's init.
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const torch = require('../lib') as typeof import('../lib');
      log(`  loaded:      LibTorch ${torch.__libtorchVersion}, ${torch.getNumThreads()} threads (${os.cpus().length} cores)`);
      if (record && record.version !== 'unknown' && record.version !== torch.__libtorchVersion) {
        problems.push(`the addon runs on LibTorch ${torch.__libtorchVersion} but LibTorch ${record.version} was resolved: run \`npm rebuild torch-node\``);
      }
      const built = torch.cuda.isBuilt();
      const count = torch.cuda.deviceCount();
      log(
        `  CUDA:        ${built ? 'built with CUDA' : 'CPU-only LibTorch'}; ${count} GPU${count === 1 ? '' : 's'} visible; ` +
          `cuDNN ${torch.backends.cudnn.isAvailable() ? 'available' : 'not available'}; NVIDIA driver ${driver ?? 'not found'}`,
      );
      for (let i = 0; i < count; i++) log(`               cuda:${i} ${torch.cuda.getDeviceName(i)}`);
      const d = torch.distributed;
      log(`  distributed: ${d.isAvailable() ? `c10d with ${d.isNcclAvailable() ? 'Gloo and NCCL' : 'Gloo'}` : 'not built (c10d or gloo headers were missing: install libgloo-dev and run `npm rebuild torch-node`)'}`);
      if (!built && driver) {
        problems.push(
          'an NVIDIA driver is present but the LibTorch is CPU-only: install a CUDA LibTorch (a CUDA Python torch, or ' +
            'TORCH_NODE_CUDA=13.0 with the download route) and run `npm rebuild torch-node`',
        );
      }
      if (built && count === 0 && driver) {
        problems.push('LibTorch is built with CUDA and a driver is present, but no GPU is visible: check CUDA_VISIBLE_DEVICES and that the driver supports this CUDA version (nvidia-smi)');
      }
    } catch (err) {
      problems.push(`the addon failed to load: ${firstLine(err).replace(/^torch-node: /, '')}`);
    }
  }

  if (problems.length === 0) {
    log('\nNo problems found.');
  } else {
    log(`\n${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
    for (const p of problems) log(`  - ${p.replace(/\n/g, '\n    ')}`);
  }
  return problems.length;
}
