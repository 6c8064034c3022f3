// Progress of an epoch: a bar redrawn in place on a terminal, plain lines every few seconds elsewhere.

/** Formats seconds as m:ss. */
export function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** One epoch's progress line. */
export class Progress {
  private readonly start = Date.now();
  private lastPlain = 0;
  private readonly tty: boolean;

  constructor(private readonly label: string, private readonly total: number, private readonly out: NodeJS.WriteStream = process.stdout) {
    this.tty = Boolean(out.isTTY);
  }

  /** Reports `done` batches of `total`, with the running loss and accuracy and the images seen. */
  update(done: number, loss: number, acc: number, images: number): void {
    const elapsed = (Date.now() - this.start) / 1000;
    const rate = images / Math.max(elapsed, 1e-9);
    const eta = ((this.total - done) * elapsed) / Math.max(done, 1);
    const stats = `loss ${loss.toFixed(4)} acc ${(acc * 100).toFixed(1)}% ${rate.toFixed(1)} img/s ETA ${clock(eta)}`;
    if (this.tty) {
      const width = 24;
      const filled = Math.round((width * done) / this.total);
      this.out.write(`\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total} ${stats}\x1b[K`);
      if (done === this.total) this.out.write('\n');
    } else if (done === this.total || Date.now() - this.lastPlain > 10_000) {
      this.lastPlain = Date.now();
      this.out.write(`${this.label} ${done}/${this.total} batches, ${stats}\n`);
    }
  }
}
