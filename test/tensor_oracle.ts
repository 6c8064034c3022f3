// Shared by the tensor tests: the same inputs in TypeScript and in Python, and a runner that evaluates a list
// of cases in one Python process and asserts each TypeScript result equals PyTorch's (values, dtype, shape,
// and for errors the error class and PyTorch's message).
import * as assert from 'assert';
import * as torch from '../lib';
import { py, requirePython, assertClose, PyTensor } from './helpers/python';

/** The inputs every case can use, made fresh for each case (in-place cases may change them). */
export interface Inputs {
  /** float32 [2, 3] */ a: torch.Tensor;
  /** float32 [3] */ b: torch.Tensor;
  /** float32 [2, 1] */ c: torch.Tensor;
  /** int64 [2, 3] */ i: torch.Tensor;
  /** int64 [3] */ j: torch.Tensor;
  /** bool [2, 3] */ m: torch.Tensor;
  /** float64 [3] */ d: torch.Tensor;
  /** float16 [3] */ h: torch.Tensor;
  /** int32 [3] */ i32: torch.Tensor;
  /** uint8 [3] */ u8: torch.Tensor;
  /** float32 [2, 3, 4] */ x3: torch.Tensor;
}

/** The same inputs in TypeScript... */
export function inputs(): Inputs {
  return {
    a: torch.tensor([[1.5, -2.0, 3.25], [0.5, 4.0, -1.0]]),
    b: torch.tensor([0.5, -1.5, 2.0]),
    c: torch.tensor([[1.0], [2.0]]),
    i: torch.tensor([[3n, -1n, 4n], [1n, -5n, 9n]]),
    j: torch.tensor([2n, 7n, -3n]),
    m: torch.tensor([[true, false, true], [false, false, true]]),
    d: torch.tensor([1.25, -0.5, 3.0], { dtype: 'float64' }),
    h: torch.tensor([0.1, 0.2, 0.3], { dtype: 'float16' }),
    i32: torch.tensor([1, 2, 3], { dtype: 'int32' }),
    u8: torch.tensor([1, 200, 3], { dtype: 'uint8' }),
    x3: torch.arange(24, { dtype: 'float32' }).reshape(2, 3, 4).div(5).sub(2),
  };
}

/** ...and in Python (`fresh()` makes them anew before each case). */
export const PY_INPUTS = `
def fresh():
    global a, b, c, i, j, m, d, h, i32, u8, x3
    a = torch.tensor([[1.5, -2.0, 3.25], [0.5, 4.0, -1.0]])
    b = torch.tensor([0.5, -1.5, 2.0])
    c = torch.tensor([[1.0], [2.0]])
    i = torch.tensor([[3, -1, 4], [1, -5, 9]])
    j = torch.tensor([2, 7, -3])
    m = torch.tensor([[True, False, True], [False, False, True]])
    d = torch.tensor([1.25, -0.5, 3.0], dtype=torch.float64)
    h = torch.tensor([0.1, 0.2, 0.3], dtype=torch.float16)
    i32 = torch.tensor([1, 2, 3], dtype=torch.int32)
    u8 = torch.tensor([1, 200, 3], dtype=torch.uint8)
    x3 = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4) / 5 - 2
def inplace(t, f):
    f(t)
    return t
`;

/** One comparison: a TypeScript expression and the Python expression it translates. */
export interface Case {
  name: string;
  ts: (v: Inputs) => unknown;
  py: string;
  rtol?: number;
  atol?: number;
}

interface PyError {
  __error__: string;
  message: string;
}

function isPyError(v: unknown): v is PyError {
  return typeof v === 'object' && v !== null && '__error__' in v;
}

/** Python's exception classes and what torch-node throws instead. */
const ERROR_CLASSES: Record<string, (e: unknown) => boolean> = {
  RuntimeError: (e) => e instanceof torch.TorchError,
  TypeError: (e) => e instanceof TypeError,
  IndexError: (e) => e instanceof RangeError || e instanceof torch.TorchError,
  ValueError: (e) => e instanceof RangeError || e instanceof TypeError || e instanceof torch.TorchError,
};

/** Asserts a TypeScript result equals a value emitted by py(). */
export function check(actual: unknown, expected: unknown, tol: { rtol?: number; atol?: number } = {}, where = 'result'): void {
  if (expected !== null && typeof expected === 'object' && (expected as PyTensor).__tensor__) {
    assert.ok(actual instanceof torch.Tensor, `${where}: expected a Tensor, got ${String(actual)}`);
    assertClose(actual, expected, tol);
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: expected an array, got ${String(actual)}`);
    assert.strictEqual(actual.length, expected.length, `${where}: length`);
    expected.forEach((e, k) => check((actual as unknown[])[k], e, tol, `${where}[${k}]`));
  } else if (typeof expected === 'number') {
    assert.strictEqual(typeof actual, 'number', `${where}: expected a number, got ${String(actual)}`);
    const rtol = tol.rtol ?? 1e-6;
    assert.ok(Math.abs((actual as number) - expected) <= (tol.atol ?? 1e-7) + rtol * Math.abs(expected), `${where}: expected ${expected}, got ${actual}`);
  } else {
    assert.deepStrictEqual(actual, expected, where);
  }
}

/** A describe block whose cases are all evaluated by one Python process. */
export function oracleSuite(title: string, cases: Case[], setup = ''): void {
  describe(title, function () {
    let ref: Record<string, unknown> = {};
    before(function () {
      requirePython(this);
      const body = cases
        .map((c, k) => `fresh()\ntry:\n    emit('${k}', ${c.py})\nexcept Exception as e:\n    emit('${k}', {'__error__': type(e).__name__, 'message': str(e)})`)
        .join('\n');
      ref = py(`${PY_INPUTS}\n${setup}\n${body}`);
    });
    cases.forEach((c, k) => {
      it(`${c.name}  [${c.py}]`, function () {
        const expected = ref[String(k)];
        const v = inputs();
        if (isPyError(expected)) {
          const ok = ERROR_CLASSES[expected.__error__];
          assert.ok(ok, `unexpected Python error class ${expected.__error__}: ${expected.message}`);
          assert.throws(
            () => c.ts(v),
            (e: unknown) => {
              assert.ok(ok(e), `PyTorch raised ${expected.__error__}, torch-node threw ${String(e)}`);
              if (e instanceof torch.TorchError && expected.__error__ !== 'ValueError') assert.strictEqual(e.message, expected.message);
              return true;
            },
          );
          return;
        }
        check(c.ts(v), expected, { rtol: c.rtol, atol: c.atol });
      });
    });
  });
}
