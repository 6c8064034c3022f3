// scripts/fetch-libtorch's download route against a local HTTP server serving a small fake LibTorch archive:
// resuming after a cut connection, refusing a checksum mismatch, choosing the flavour. No network.
import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { execFile, execFileSync } from 'child_process';
import type { AddressInfo } from 'net';

const root = path.join(__dirname, '..', '..');
const libtorchJs = path.join(root, 'scripts', 'libtorch.js');

/** A zip laid out like the official archive, with a stored (incompressible) blob so that it can be cut midway. */
function makeArchive(dir: string): Buffer {
  const lt = path.join(dir, 'src', 'libtorch');
  fs.mkdirSync(path.join(lt, 'share', 'cmake', 'Torch'), { recursive: true });
  fs.mkdirSync(path.join(lt, 'lib'), { recursive: true });
  fs.mkdirSync(path.join(lt, 'include', 'torch'), { recursive: true });
  fs.writeFileSync(path.join(lt, 'share', 'cmake', 'Torch', 'TorchConfig.cmake'), 'set(TORCH_CXX_FLAGS "-D_GLIBCXX_USE_CXX11_ABI=1")\n');
  fs.writeFileSync(path.join(lt, 'include', 'torch', 'version.h'), '#define TORCH_VERSION_MAJOR 2\n#define TORCH_VERSION_MINOR 11\n#define TORCH_VERSION_PATCH 0\n');
  fs.writeFileSync(path.join(lt, 'build-version'), '2.11.0+cu130\n');
  fs.writeFileSync(path.join(lt, 'lib', 'libc10.so'), crypto.randomBytes(256 * 1024));
  const zip = path.join(dir, 'libtorch.zip');
  execFileSync('zip', ['-q', '-r', '-0', zip, 'libtorch'], { cwd: path.join(dir, 'src') });
  return fs.readFileSync(zip);
}

interface Served {
  url: string;
  requests: { range?: string }[];
  close(): Promise<void>;
}

/** Serves `data` with Range support; the first `cuts` responses stop after `cutAt` bytes and drop the connection. */
async function serve(data: Buffer, { cuts = 0, cutAt = 0 } = {}): Promise<Served> {
  const requests: { range?: string }[] = [];
  let cutsLeft = cuts;
  const server = http.createServer((req, res) => {
    requests.push({ range: req.headers.range });
    const m = (req.headers.range || '').match(/bytes=(\d+)-/);
    const start = m ? Number(m[1]) : 0;
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/zip', 'Content-Length': data.length - start };
    if (m) headers['Content-Range'] = `bytes ${start}-${data.length - 1}/${data.length}`;
    res.writeHead(m ? 206 : 200, headers);
    if (cutsLeft > 0) {
      cutsLeft--;
      res.write(data.subarray(start, Math.max(start, cutAt)), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(data.subarray(start));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/libtorch/cu130/libtorch-shared-with-deps-2.11.0%2Bcu130.zip`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs `expr` (with `lt` = scripts/libtorch.js) in a child process with `env`, without blocking the server. */
function child(expr: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `const lt = require(${JSON.stringify(libtorchJs)}); const log = (m) => console.error(m);
    Promise.resolve().then(() => ${expr}).then((r) => console.log(JSON.stringify(r === undefined ? null : r)), (e) => { console.error('ERROR ' + e.message); process.exit(3); });`;
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TORCH_NODE_') && k !== 'LIBTORCH')) as Record<string, string>;
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script], { env: { ...clean, ...env }, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('fetch-libtorch download route', function () {
  this.timeout(60_000);
  let tmp: string;
  let archive: Buffer;
  let digest: string;

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-download-'));
    archive = makeArchive(tmp);
    digest = crypto.createHash('sha256').update(archive).digest('hex');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function envFor(url: string, cache: string, extra: Record<string, string> = {}) {
    return { TORCH_NODE_LIBTORCH_URL: url, TORCH_NODE_CACHE: cache, TORCH_NODE_CUDA: 'cu130', TORCH_NODE_LIBTORCH_SHA256: digest, ...extra };
  }

  it('resumes after a cut connection within one run, checks the archive and unpacks it into the cache', async function () {
    const server = await serve(archive, { cuts: 1, cutAt: Math.floor(archive.length * 0.4) });
    const cache = path.join(tmp, 'cache1');
    try {
      const r = await child('lt.fromDownload(log)', envFor(server.url, cache));
      assert.strictEqual(r.code, 0, r.stderr);
      const found = JSON.parse(r.stdout.trim().split('\n').pop() as string);
      assert.strictEqual(found.version, '2.11.0');
      assert.strictEqual(found.flavour, 'cu130');
      assert.strictEqual(found.cxx11abi, true);
      assert.match(r.stderr, /download interrupted .*resuming/);
      assert.strictEqual(server.requests.length, 2);
      assert.strictEqual(server.requests[0].range, undefined);
      assert.match(server.requests[1].range as string, /^bytes=\d+-$/);
      assert.ok(Number((server.requests[1].range as string).slice(6, -1)) > 0, 'the second request resumes, not restarts');
      const dir = path.join(cache, 'libtorch', '2.11.0-cu130');
      assert.strictEqual(fs.readFileSync(path.join(dir, 'SHA256'), 'utf8').split(' ')[0], digest);
      assert.ok(!fs.existsSync(path.join(dir, 'libtorch.zip')) && !fs.existsSync(path.join(dir, 'libtorch.zip.part')));
      // Cached: a second resolution asks nothing of the server.
      const again = await child('lt.fromDownload(log)', envFor(server.url, cache));
      assert.strictEqual(again.code, 0, again.stderr);
      assert.strictEqual(server.requests.length, 2);
    } finally {
      await server.close();
    }
  });

  it('resumes a partial download left by an earlier run', async function () {
    const server = await serve(archive, { cuts: 1, cutAt: Math.floor(archive.length * 0.6) });
    const cache = path.join(tmp, 'cache2');
    try {
      const first = await child('lt.fromDownload(log)', envFor(server.url, cache, { TORCH_NODE_DOWNLOAD_ATTEMPTS: '1' }));
      assert.strictEqual(first.stdout.trim(), 'null', first.stderr);
      assert.match(first.stderr, /could not be downloaded/);
      const part = path.join(cache, 'libtorch', '2.11.0-cu130', 'libtorch.zip.part');
      const have = fs.statSync(part).size;
      assert.ok(have > 0 && have < archive.length);
      const second = await child('lt.fromDownload(log)', envFor(server.url, cache));
      assert.strictEqual(second.code, 0, second.stderr);
      assert.strictEqual(JSON.parse(second.stdout).version, '2.11.0');
      assert.strictEqual(server.requests[1].range, `bytes=${have}-`);
    } finally {
      await server.close();
    }
  });

  it('refuses and deletes an archive whose checksum differs', async function () {
    const server = await serve(archive);
    const cache = path.join(tmp, 'cache3');
    try {
      const r = await child('lt.fromDownload(log)', envFor(server.url, cache, { TORCH_NODE_LIBTORCH_SHA256: '0'.repeat(64) }));
      assert.strictEqual(r.code, 3);
      assert.match(r.stderr, new RegExp(`has SHA-256 ${digest}, but TORCH_NODE_LIBTORCH_SHA256 is 0{64}; it was deleted`));
      const dir = path.join(cache, 'libtorch', '2.11.0-cu130');
      assert.deepStrictEqual(fs.readdirSync(dir), []);
    } finally {
      await server.close();
    }
  });

  it('refuses a corrupt archive (zip CRC) when no checksum is given', async function () {
    const bad = Buffer.from(archive);
    bad[Math.floor(bad.length / 2)] ^= 0xff; // inside the stored blob: only its CRC notices
    const server = await serve(bad);
    try {
      const r = await child('lt.fromDownload(log)', envFor(server.url, path.join(tmp, 'cache4'), { TORCH_NODE_LIBTORCH_SHA256: '' }));
      assert.strictEqual(r.code, 3);
      assert.match(r.stderr, /is corrupt \(unzip -t failed\); it was deleted/);
    } finally {
      await server.close();
    }
  });

  it('picks the flavour from TORCH_NODE_CUDA or the driver, and the URL from the mirror setting', async function () {
    const smi = (cuda: string) => {
      const file = path.join(tmp, `nvidia-smi-${cuda}`);
      fs.writeFileSync(file, `#!/bin/sh\necho "| NVIDIA-SMI 580.00   Driver Version: 580.00   CUDA Version: ${cuda} |"\n`, { mode: 0o755 });
      return file;
    };
    const flavour = async (env: Record<string, string>) => {
      const r = await child('lt.downloadFlavour(log)', { TORCH_NODE_NVIDIA_SMI: path.join(tmp, 'no-such-nvidia-smi'), ...env });
      assert.strictEqual(r.code, 0, r.stderr);
      return { flavour: JSON.parse(r.stdout), log: r.stderr };
    };
    assert.strictEqual((await flavour({})).flavour, 'cpu');
    assert.strictEqual((await flavour({ TORCH_NODE_CUDA: 'cpu' })).flavour, 'cpu');
    assert.strictEqual((await flavour({ TORCH_NODE_CUDA: '13.0' })).flavour, 'cu130');
    assert.strictEqual((await flavour({ TORCH_NODE_CUDA: 'cu128' })).flavour, 'cu128');
    assert.strictEqual((await flavour({ TORCH_NODE_NVIDIA_SMI: smi('13.1') })).flavour, 'cu130');
    assert.strictEqual((await flavour({ TORCH_NODE_NVIDIA_SMI: smi('12.9') })).flavour, 'cu128');
    const old = await flavour({ TORCH_NODE_NVIDIA_SMI: smi('11.8') });
    assert.strictEqual(old.flavour, 'cpu');
    assert.match(old.log, /warning: the NVIDIA driver supports CUDA 11\.8 only.*downloading the CPU build/);
    const bad = await child('lt.downloadFlavour(log)', { TORCH_NODE_CUDA: 'lots' });
    assert.match(bad.stderr, /TORCH_NODE_CUDA=lots is not understood/);

    const url = async (env: Record<string, string>, f: string) => JSON.parse((await child(`lt.downloadUrl('${f}')`, env)).stdout);
    assert.strictEqual(await url({}, 'cu130'), 'https://download.pytorch.org/libtorch/cu130/libtorch-shared-with-deps-2.11.0%2Bcu130.zip');
    assert.strictEqual(await url({ TORCH_NODE_LIBTORCH_URL: 'https://mirror.example/pytorch/libtorch/' }, 'cpu'), 'https://mirror.example/pytorch/libtorch/cpu/libtorch-shared-with-deps-2.11.0%2Bcpu.zip');
    assert.strictEqual(await url({ TORCH_NODE_LIBTORCH_URL: 'https://mirror.example/lt.zip' }, 'cu126'), 'https://mirror.example/lt.zip');
  });

  it('asking for CUDA and finding only a CPU LibTorch warns', async function () {
    const r = await child('lt.resolveLibtorch({ log })', { TORCH_NODE_CUDA: '13.0', TORCH_NODE_NO_DOWNLOAD: '1', TORCH_NODE_NO_APT: '1' });
    if (r.code !== 0) this.skip(); // no LibTorch at all on this machine
    assert.strictEqual(JSON.parse(r.stdout).flavour, 'cpu');
    assert.match(r.stderr, /TORCH_NODE_CUDA=13\.0 asks for CUDA; the LibTorch from .* is CPU-only/);
    assert.match(r.stderr, /warning: no CUDA LibTorch was found: using the CPU-only LibTorch/);
  });
});
