// Where random transforms draw from: the generator of the sample a DataLoader is loading (data.withGenerator),
// or else torch's global generator with the same calls torchvision makes, so that `torch.manualSeed(s)` gives
// the same parameters as `torch.manual_seed(s)` in Python.
import { Tensor } from '../../tensor';
import { tensor, empty, rand as torchRand, randint as torchRandint, randperm as torchRandperm } from '../../creation';
import { currentGenerator } from '../../data/generator';

/** `torch.empty(1).uniform_(from, to).item()`. */
export function uniform(from: number, to: number): number {
  const g = currentGenerator();
  if (g) return g.uniform(from, to);
  const t = empty([1]);
  t.uniform_(from, to);
  const v = t.item();
  t.dispose();
  return v;
}

/** `torch.rand(1).item()`. */
export function rand(): number {
  const g = currentGenerator();
  if (g) return g.rand();
  const t = torchRand(1);
  const v = t.item();
  t.dispose();
  return v;
}

/** `torch.rand(n).tolist()`. */
export function randMany(n: number): number[] {
  const g = currentGenerator();
  if (g) return Array.from({ length: n }, () => g.rand());
  const t = torchRand(n);
  const v = Array.from(t.dataSync() as Float32Array);
  t.dispose();
  return v;
}

/** `torch.randint(low, high, [1]).item()`. */
export function randint(low: number, high: number): number {
  const g = currentGenerator();
  if (g) return g.randint(low, high);
  const t = torchRandint(low, high, [1]);
  const v = Number(t.item());
  t.dispose();
  return v;
}

/** `torch.randint(low, high, [n]).tolist()`. */
export function randintMany(low: number, high: number, n: number): number[] {
  const g = currentGenerator();
  if (g) return Array.from({ length: n }, () => g.randint(low, high));
  const t = torchRandint(low, high, [n]);
  const v = Array.from(t.dataSync() as BigInt64Array, Number);
  t.dispose();
  return v;
}

/** `torch.randperm(n).tolist()`. */
export function randperm(n: number): number[] {
  const g = currentGenerator();
  if (g) return g.randperm(n);
  const t = torchRandperm(n);
  const v = Array.from(t.dataSync() as BigInt64Array, Number);
  t.dispose();
  return v;
}

/** `torch.empty(shape, dtype).normal_()`. */
export function normalTensor(shape: number[], dtype: string): Tensor {
  const g = currentGenerator();
  const t = empty(shape, { dtype: dtype as 'float32' });
  if (!g) return t.normal_();
  const n = t.numel();
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = g.normal();
  t.dispose();
  const out = tensor(values).reshape(shape);
  return dtype === 'float32' ? out : out.to(dtype as 'float64');
}
