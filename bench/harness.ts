// The benchmark harness: each benchmark runs the same work in Python PyTorch and in torch-node, in one run on
// one machine, and reports the ratio torch-node / PyTorch (time) or PyTorch / torch-node (throughput inverse).
import { spawn, spawnSync, ChildProcessWithoutNullStreams } from 'child_process';
import * as fs from 'fs';
import { createInterface, Interface } from 'readline';
import * as v8 from 'v8';
import { runInNewContext } from 'vm';

/** The Python interpreter with torch (`TORCH_NODE_PYTHON` overrides). */
export const PYTHON = process.env.TORCH_NODE_PYTHON || '/usr/bin/python3';

/** One measured case: the same work on both sides, in the same unit. */
export interface Row {
  name: string;
  unit: string;
  python: number;
  node: number;
  /** true when larger is better (images/s); false for times. */
  higherIsBetter: boolean;
  /** The target ratio, if the issue names one (node/python for times, node/python for throughput). */
  target?: number;
}

/**
 * Runs Python code that prints one JSON object of named measurements on its last line. The code gets
 * `torch`, `time`, `json` and a `best(fn, n, repeat)` helper returning the best per-call seconds.
 */
export function runPython(code: string, threads?: number): Record<string, number> {
  const prelude = `
import json, time, torch
${threads ? `torch.set_num_threads(${threads})` : 'import os\ntorch.set_num_threads(os.cpu_count())'}
def best(fn, n, repeat=5):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn(n)
        times.append((time.perf_counter() - t) / n)
    return min(times)
`;
  const r = spawnSync(PYTHON, ['-c', `${prelude}\n${code}`], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`the Python side failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string);
}

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (options: { type: 'minor' | 'major' }) => void;

/**
 * Best per-call seconds of `fn(n)` over `repeat` runs. Each run starts with an empty young generation and ends
 * with a scavenge inside its timing, so that it pays for freeing all of its own garbage (tensors left to the GC
 * included) and no more: otherwise a run that ends just before a scavenge looks cheaper than one that pays for
 * two, and the best run is the luckiest one. Python's side needs no such step: its results are freed at once.
 */
export async function best(fn: (n: number) => void | Promise<void>, n: number, repeat = 5): Promise<number> {
  let min = Infinity;
  for (let r = 0; r < repeat; r++) {
    await new Promise(setImmediate);
    gc({ type: 'minor' });
    const t = process.hrtime.bigint();
    await fn(n);
    gc({ type: 'minor' });
    min = Math.min(min, Number(process.hrtime.bigint() - t) / 1e9 / n);
  }
  return min;
}

/**
 * Runs `fn` with this process, its threads and the processes it starts (the Python side) on one CPU, then gives
 * the process its CPUs back. For single-threaded comparisons: on a shared machine whose CPUs differ in speed
 * (one may share its core with another tenant), two processes left to the scheduler can each settle on a
 * different CPU for their whole life, and the ratio then measures the CPUs, not the libraries (here: 1.0 µs
 * against 1.5 µs for the same Python loop, depending only on the CPU it ran on). Where `taskset` (util-linux) is
 * missing, it runs unpinned and says so.
 */
export async function onOneCpu<T>(fn: () => Promise<T>): Promise<T> {
  const status = process.platform === 'linux' ? fs.readFileSync('/proc/self/status', 'utf8') : '';
  const allowed = /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1];
  const pin = (cpus: string) => spawnSync('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { encoding: 'utf8' });
  if (allowed === undefined || pin(allowed.split(/[-,]/)[0]).status !== 0) {
    console.error('note: could not pin the benchmark to one CPU (Linux and taskset are needed); running unpinned');
    return fn();
  }
  try {
    return await fn();
  } finally {
    pin(allowed);
  }
}

/**
 * A Python process kept open for one benchmark, so that its runs can alternate with torch-node's: on a shared
 * machine whose speed drifts from second to second, timings taken minutes apart compare the drift, not the
 * libraries. `setup` defines the functions to time; each takes the number of calls.
 */
export class PythonSession {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly waiting: ((line: string) => void)[] = [];
  private stderr = '';

  constructor(setup: string, threads?: number) {
    const code = `
import sys, time, torch
${threads ? `torch.set_num_threads(${threads})` : 'import os\ntorch.set_num_threads(os.cpu_count())'}
${setup}
for line in sys.stdin:
    name, n = line.split()
    n = int(n)
    fn = globals()[name]
    t = time.perf_counter()
    fn(n)
    print((time.perf_counter() - t) / n, flush=True)
`;
    this.proc = spawn(PYTHON, ['-c', code], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (d) => (this.stderr += d));
    this.lines = createInterface({ input: this.proc.stdout });
    this.lines.on('line', (line) => this.waiting.shift()?.(line));
  }

  /** Seconds per call of one run of the Python function `name(n)`. */
  time(name: string, n: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onExit = () => reject(new Error(`the Python side failed:\n${this.stderr}`));
      this.proc.once('exit', onExit);
      this.waiting.push((line) => {
        this.proc.off('exit', onExit);
        resolve(Number(line));
      });
      this.proc.stdin.write(`${name} ${n}\n`);
    });
  }

  /** Ends the Python process. */
  close(): void {
    this.lines.close();
    this.proc.stdin.end();
  }
}

/**
 * The best per-call seconds of each side over `rounds` alternating runs: Python's `name(n)` in `session`, then
 * torch-node's `fn(n)`. One untimed run of each side comes first: a process doing its first few hundred
 * thousand small ops with results left to the GC is still growing its heaps (here 1.2-2.9 µs per add in the
 * first 100k-op runs, 0.9-1.0 from about the fourth on), and the steady state is what is compared.
 */
export async function interleaved(
  session: PythonSession,
  name: string,
  fn: (n: number) => void | Promise<void>,
  n: number,
  rounds = 7,
): Promise<{ python: number; node: number }> {
  await session.time(name, n);
  await best(fn, n, 1);
  let python = Infinity;
  let node = Infinity;
  for (let r = 0; r < rounds; r++) {
    python = Math.min(python, await session.time(name, n));
    node = Math.min(node, await best(fn, n, 1));
  }
  return { python, node };
}

/** The ratio that is judged: node/python for both times (lower is better) and throughput (higher is better). */
export function ratio(row: Row): number {
  return row.node / row.python;
}

/** Whether a row meets its target. */
export function meets(row: Row): boolean {
  if (row.target === undefined) return true;
  return row.higherIsBetter ? ratio(row) >= row.target : ratio(row) <= row.target;
}

/** Prints a table of rows with their ratios and targets. */
export function report(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(3));
  const w = Math.max(...rows.map((r) => r.name.length), 4);
  console.log(`${'case'.padEnd(w)}  ${'unit'.padEnd(9)} ${'PyTorch'.padStart(10)} ${'torch-node'.padStart(10)} ${'ratio'.padStart(7)}  target`);
  for (const r of rows) {
    const target = r.target === undefined ? '' : `${r.higherIsBetter ? '>=' : '<='} ${r.target} ${meets(r) ? 'met' : 'NOT MET'}`;
    console.log(`${r.name.padEnd(w)}  ${r.unit.padEnd(9)} ${fmt(r.python).padStart(10)} ${fmt(r.node).padStart(10)} ${ratio(r).toFixed(3).padStart(7)}  ${target}`);
  }
}
