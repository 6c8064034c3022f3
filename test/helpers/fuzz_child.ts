// The fuzzer's child process (test/fuzz.test.ts): calls every public tensor function, Tensor method, nn module
// constructor and nn.functional function with randomly wrong arguments. Before each call it writes the call to
// fd 3, so that a crash or a hang names the call; errors other than TypeError, RangeError and TorchError are
// written there as `BAD` lines. Each call draws from its own generator seeded by (seed, index), so
// `node fuzz_child.js SEED INDEX 1` replays one call alone.
import * as fs from 'fs';
import * as path from 'path';
import * as torch from '../../lib';

const [seed, from, count] = process.argv.slice(2).map(Number);
const out = 3;

/** mulberry32: small, fast, and the same everywhere. */
function rng(s: number): () => number {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Target {
  name: string;
  call: (args: unknown[], self: torch.Tensor) => unknown;
}

// Process-wide settings and functions that only configure the process (thread count, seeds) or touch files
// are not tensor functions; the file readers have their own tests (serialization_errors, files_corrupt).
const skipTorch = new Set(['setNumThreads', 'manualSeed', 'save', 'load', 'loadSafetensors', 'saveSafetensors', 'safetensorsMetadata', 'setDefaultDtype']);

function isClass(f: unknown): boolean {
  return typeof f === 'function' && /^class\b/.test(Function.prototype.toString.call(f));
}

function targets(scripted: torch.jit.ScriptModule): Target[] {
  const list: Target[] = [];
  const lib = torch as unknown as Record<string, unknown>;
  for (const name of Object.keys(lib).sort()) {
    const f = lib[name];
    if (typeof f !== 'function' || isClass(f) || skipTorch.has(name)) continue;
    list.push({ name: `torch.${name}`, call: (a) => (f as (...x: unknown[]) => unknown)(...a) });
  }
  const autograd = torch.autograd as unknown as Record<string, unknown>;
  for (const name of Object.keys(autograd).sort()) {
    const f = autograd[name];
    if (typeof f !== 'function' || isClass(f)) continue;
    list.push({ name: `torch.autograd.${name}`, call: (a) => (f as (...x: unknown[]) => unknown)(...a) });
  }
  const proto = torch.Tensor.prototype as unknown as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(torch.Tensor.prototype).sort()) {
    if (name === 'constructor') continue;
    const d = Object.getOwnPropertyDescriptor(torch.Tensor.prototype, name) as PropertyDescriptor;
    if (typeof d.value === 'function') {
      list.push({ name: `Tensor.${name}`, call: (a, self) => (proto[name] as (...x: unknown[]) => unknown).apply(self, a) });
    } else if (d.set) {
      list.push({ name: `Tensor.${name}=`, call: (a, self) => ((self as unknown as Record<string, unknown>)[name] = a[0]) });
    }
  }
  const nn = torch.nn as unknown as Record<string, unknown>;
  for (const name of Object.keys(nn).sort()) {
    const C = nn[name];
    if (!isClass(C)) continue;
    list.push({
      name: `new nn.${name}`,
      call: (a, self) => {
        const m = new (C as new (...x: unknown[]) => torch.nn.Module)(...a);
        // A module that was built is then run on a random input.
        if (m instanceof torch.nn.Module && typeof (m as unknown as { forward?: unknown }).forward === 'function') {
          return (m as unknown as { forward: (...x: unknown[]) => unknown }).forward(self);
        }
        return m;
      },
    });
  }
  const optim = torch.optim as unknown as Record<string, unknown>;
  for (const name of Object.keys(optim).sort()) {
    const C = optim[name];
    if (!isClass(C)) continue;
    list.push({
      name: `new optim.${name}`,
      call: (a, self) => {
        // An optimizer of a parameter with a gradient, built with random options, then stepped.
        const p = self.detach().requiresGrad_();
        p.grad = torch.onesLike(p);
        const o = new (C as new (...x: unknown[]) => { step?: (...x: unknown[]) => unknown })([p], ...a);
        return typeof o.step === 'function' ? o.step(() => p.sum()) : o;
      },
    });
  }
  // A TorchScript module's methods: every argument goes through the IValue conversion by the method's schema.
  for (const method of scripted.methods().sort()) {
    list.push({ name: `ScriptModule.${method}`, call: (a) => scripted.callMethod(method, ...a) });
  }
  const F = torch.nn.functional as unknown as Record<string, unknown>;
  for (const name of Object.keys(F).sort()) {
    const f = F[name];
    if (typeof f !== 'function' || isClass(f)) continue;
    list.push({ name: `nn.functional.${name}`, call: (a) => (f as (...x: unknown[]) => unknown)(...a) });
  }
  return list;
}

/** The values arguments are drawn from, each with the name it is printed with. */
function pool(): [string, () => unknown][] {
  const t = (name: string, make: () => unknown): [string, () => unknown] => [name, make];
  return [
    t('randn(2,3)', () => torch.randn([2, 3])),
    t('randn(4)', () => torch.randn([4])),
    t('randn(1,3,8,8)', () => torch.randn([1, 3, 8, 8])),
    t('randn(2,3,5)', () => torch.randn([2, 3, 5])),
    t('scalar(2.5)', () => torch.tensor(2.5)),
    t('empty(0)', () => torch.empty([0])),
    t('empty(0,3)', () => torch.empty([0, 3])),
    t('int64[1,2,-1]', () => torch.tensor([1, 2, -1], { dtype: 'int64' })),
    t('bool[T,F]', () => torch.tensor([true, false])),
    t('float64(3)', () => torch.randn([3], { dtype: 'float64' })),
    t('uint8(2,2)', () => torch.tensor([[1, 2], [3, 4]], { dtype: 'uint8' })),
    t('[NaN,Inf,-Inf]', () => torch.tensor([NaN, Infinity, -Infinity])),
    t('requiresGrad(2,3)', () => torch.randn([2, 3]).requiresGrad_()),
    t('nonleaf(3)', () => torch.randn([3]).requiresGrad_().mul(2)),
    t('detached(3)', () => torch.randn([3]).requiresGrad_().mul(2).detach()),
    t('disposed', () => {
      const d = torch.randn([2]);
      d.dispose();
      return d;
    }),
    t('expanded(3,4)', () => torch.randn([1, 4]).expand([3, 4])),
    t('transposed(3,2)', () => torch.randn([2, 3]).t()),
    t('0', () => 0),
    t('1', () => 1),
    t('2', () => 2),
    t('3', () => 3),
    t('-1', () => -1),
    t('-7', () => -7),
    t('0.5', () => 0.5),
    t('NaN', () => NaN),
    t('Infinity', () => Infinity),
    t('-Infinity', () => -Infinity),
    t('2**40', () => 2 ** 40),
    t('2**62', () => 2 ** 62),
    t('2**64', () => 2 ** 64),
    t('1e300', () => 1e300),
    t('-2**53', () => -(2 ** 53)),
    t('true', () => true),
    t('false', () => false),
    t('null', () => null),
    t('undefined', () => undefined),
    t("'float32'", () => 'float32'),
    t("'int64'", () => 'int64'),
    t("'cuda'", () => 'cuda'),
    t("'cuda:7'", () => 'cuda:7'),
    t("'meta'", () => 'meta'),
    t("'nonsense'", () => 'nonsense'),
    t("''", () => ''),
    t("'mean'", () => 'mean'),
    t('[]', () => []),
    t('[2,3]', () => [2, 3]),
    t('[-1]', () => [-1]),
    t('[0]', () => [0]),
    t('[2**40,2**40]', () => [2 ** 40, 2 ** 40]),
    t('[2**31,2**31,4]', () => [2 ** 31, 2 ** 31, 4]),
    t('[1e6,1e6]', () => [1e6, 1e6]),
    t('[NaN]', () => [NaN]),
    t('[1.5]', () => [1.5]),
    t('[[1],[2,3]]', () => [[1], [2, 3]]),
    t("['a']", () => ['a']),
    t('[null]', () => [null]),
    t('[tensor,tensor]', () => [torch.randn([2]), torch.randn([3])]),
    t('{}', () => ({})),
    t("{dtype:'int8'}", () => ({ dtype: 'int8' })),
    t("{dtype:'nope'}", () => ({ dtype: 'nope' })),
    t("{device:'cuda'}", () => ({ device: 'cuda' })),
    t('{dim:5}', () => ({ dim: 5 })),
    t('{requiresGrad:true}', () => ({ requiresGrad: true })),
    t('{inplace:true}', () => ({ inplace: true })),
    t('1n', () => 1n),
    t('2n**70n', () => 2n ** 70n),
    t('Symbol()', () => Symbol('s')),
    t('()=>1', () => () => 1),
    t('Float32Array(3)', () => new Float32Array(3)),
    t('ArrayBuffer(5)', () => new ArrayBuffer(5)),
    t('Linear(3,2)', () => new torch.nn.Linear(3, 2)),
    t('Object.create(null)', () => Object.create(null)),
  ];
}

function bad(e: unknown): boolean {
  return !(e instanceof TypeError || e instanceof RangeError || e instanceof torch.TorchError);
}

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message.split('\n')[0]}`;
  return `non-Error thrown: ${String(e)}`;
}

function reset(): void {
  torch.setGradEnabled(true);
  torch.autograd.setDetectAnomaly(false);
}

async function main(): Promise<void> {
  const list = targets(await torch.jit.load(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'scripted_1_13.pt')));
  const values = pool();
  const receivers = values.slice(0, 18);
  fs.writeSync(out, `TARGETS\t${list.length}\n`);
  const stats: Record<string, number> = { ok: 0, TypeError: 0, RangeError: 0, TorchError: 0, other: 0 };
  for (let i = from; i < from + count; i++) {
    const r = rng((seed * 0x9e3779b1 + i) >>> 0);
    const pick = <T>(a: T[]): T => a[Math.floor(r() * a.length)];
    const target = pick(list);
    const [selfName, makeSelf] = pick(receivers);
    const n = Math.floor(r() * 5);
    // Mostly-right calls reach deeper than random ones: functions often get a tensor first, constructors
    // small sizes, before the wrong values.
    const plain = target.name.startsWith('torch.') || target.name.startsWith('nn.functional.');
    const sizes = values.filter(([name]) => /^(-?\d|\[)/.test(name));
    // A third of the calls draw only plausible values, to get past argument checks into LibTorch.
    const plausible = r() < 0.33 ? [...receivers, ...values.filter(([name]) => /^(0|1|2|3|-1|\[2,3\]|\[0\]|\[\]|\{.*\})$/.test(name))] : values;
    const chosen = Array.from({ length: n }, (_, k) => (k === 0 && plain && r() < 0.6 ? pick(receivers) : !plain && r() < 0.5 ? pick(sizes) : pick(plausible)));
    const desc = `${i}\t${target.name}(${chosen.map((c) => c[0]).join(', ')})${target.name.startsWith('Tensor.') || target.name.startsWith('new ') ? ` on ${selfName}` : ''}`;
    fs.writeSync(out, `CALL\t${desc}\n`);
    try {
      const self = makeSelf() as torch.Tensor;
      const args = chosen.map((c) => c[1]());
      const result = target.call(args, self);
      if (result instanceof Promise) await result;
      stats.ok++;
    } catch (e) {
      if (bad(e)) {
        stats.other++;
        fs.writeSync(out, `BAD\t${desc}\t${describeError(e)}\n`);
      } else stats[(e as Error).name]++;
    }
    reset();
    // Finalizers run between tasks: yield now and then so that the fuzzer's own garbage is freed.
    if (i % 64 === 63) await new Promise((resolve) => setImmediate(resolve));
  }
  fs.writeSync(out, `DONE\t${JSON.stringify(stats)}\n`);
}

main().catch((e) => {
  fs.writeSync(out, `BAD\tharness\t${describeError(e)}\n`);
  process.exit(2);
});
