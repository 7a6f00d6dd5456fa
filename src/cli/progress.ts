// Progress lines (bytes, rate, ETA) on a terminal; silent otherwise, so logs and pipes stay clean.
import { formatBytes } from '../report/markdown.ts';
import type { CliIO } from './command.ts';

export { formatBytes };

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export class Progress {
  private readonly started = Date.now();
  private last = 0;
  private shown = false;

  constructor(
    private readonly io: CliIO,
    private readonly label: string,
    /** Total bytes when known, for an ETA. */
    private readonly total?: number,
  ) {}

  update(done: number, extra = ''): void {
    if (!this.io.interactive) return;
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const secs = (now - this.started) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    let line = `${this.label} ${formatBytes(done)}`;
    if (this.total) {
      line += ` / ${formatBytes(this.total)} (${((100 * done) / this.total).toFixed(1)}%)`;
      if (rate > 0) line += `, ETA ${formatDuration(((this.total - done) / rate) * 1000)}`;
    }
    line += `, ${formatBytes(rate)}/s${extra ? `, ${extra}` : ''}`;
    this.io.stderr.write(`\r\x1b[K${line}`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.io.stderr.write('\r\x1b[K');
  }
}
