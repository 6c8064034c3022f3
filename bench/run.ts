// `npm run bench [-- name...]`: runs the benchmarks (each module in bench/ exporting `title` and `run()`).
import * as fs from 'fs';
import * as path from 'path';
import { report, Row } from './harness';

interface Bench {
  title: string;
  run(): Promise<Row[]>;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.js') && !['run.js', 'harness.js'].includes(f))
    .map((f) => f.slice(0, -3))
    .filter((n) => wanted.length === 0 || wanted.includes(n));
  for (const name of names) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const bench = require(path.join(__dirname, name)) as Bench;
    const rows = await bench.run();
    if (rows.length > 0) report(`${name}: ${bench.title}`, rows);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
