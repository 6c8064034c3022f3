// Running real PyTorch as the oracle: tests send a Python snippet that prints JSON, and compare.
import { spawnSync } from 'child_process';
import * as assert from 'assert';
import * as torch from '../../lib';

/** The interpreter with Debian's python3-torch (`TORCH_NODE_PYTHON` overrides). */
export const PYTHON = process.env.TORCH_NODE_PYTHON || '/usr/bin/python3';

let available: boolean | undefined;

/** Whether Python with torch is installed; tests that need it skip with a reason otherwise (CI installs it). */
export function hasPython(): boolean {
  if (available === undefined) {
    const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
    available = r.status === 0;
  }
  return available;
}

/** Skips the current suite when PyTorch is missing (never in CI, which installs it). */
export function requirePython(ctx: Mocha.Context): void {
  if (!hasPython()) {
    if (process.env.CI) throw new Error(`PyTorch is required in CI but ${PYTHON} cannot import torch`);
    ctx.skip();
  }
}

/**
 * Runs `code` in Python with `torch` imported and a `emit(name, value)` helper that records tensors (as
 * {shape, dtype, data}) and plain values, and `err(f)` giving PyTorch's error message of `f()`; returns everything emitted.
 */
export function py(code: string): Record<string, unknown> {
  const prelude = `
import json, math, sys, torch
torch.set_num_threads(1)
_out = {}
def _enc(v):
    if isinstance(v, torch.Tensor):
        t = v.detach().cpu()
        if t.dtype in (torch.float16, torch.bfloat16): t = t.float()
        data = t.reshape(-1).tolist()
        data = [None if isinstance(x, float) and math.isnan(x) else ('inf' if x == math.inf else ('-inf' if x == -math.inf else x)) for x in data]
        return {'__tensor__': True, 'shape': list(t.shape), 'dtype': str(v.dtype).replace('torch.', ''), 'data': data}
    if isinstance(v, (list, tuple)): return [_enc(x) for x in v]
    if isinstance(v, dict): return {k: _enc(x) for k, x in v.items()}
    return v
def emit(name, value): _out[name] = _enc(value)
def err(f):
    # PyTorch's error message of f(), or '' when it succeeds.
    try:
        f()
        return ''
    except RuntimeError as e:
        return str(e)
`;
  const r = spawnSync(PYTHON, ['-c', `${prelude}\n${code}\nprint(json.dumps(_out))`], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`python failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string);
}

/** A tensor emitted by py(). */
export interface PyTensor {
  __tensor__: true;
  shape: number[];
  dtype: string;
  data: (number | boolean | null | string)[];
}

function num(v: number | boolean | null | string): number {
  if (v === null) return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return Number(v);
}

/** Asserts that a torch-node tensor equals a PyTorch one: shape, dtype, and values within tolerance. */
export function assertClose(actual: torch.Tensor, expected: unknown, opts: { rtol?: number; atol?: number; checkDtype?: boolean } = {}): void {
  const e = expected as PyTensor;
  assert.ok(e && e.__tensor__, 'expected value is not a tensor');
  assert.deepStrictEqual(actual.shape, e.shape, 'shape');
  if (opts.checkDtype !== false) assert.strictEqual(actual.dtype, e.dtype, 'dtype');
  const rtol = opts.rtol ?? 1e-5;
  const atol = opts.atol ?? 1e-6;
  const got = Array.from(actual.to('float64').dataSync() as Float64Array);
  assert.strictEqual(got.length, e.data.length, 'numel');
  for (let i = 0; i < got.length; i++) {
    const want = num(e.data[i]);
    const g = got[i];
    if (Number.isNaN(want)) {
      assert.ok(Number.isNaN(g), `element ${i}: expected NaN, got ${g}`);
    } else if (!Number.isFinite(want)) {
      assert.strictEqual(g, want, `element ${i}`);
    } else {
      assert.ok(Math.abs(g - want) <= atol + rtol * Math.abs(want), `element ${i}: expected ${want}, got ${g}`);
    }
  }
}
