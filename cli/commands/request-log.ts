/**
 * The writer of `serve`'s request log. A write to stderr is a system call made at once (Node writes
 * to a file synchronously, and to a pipe at once as far as the pipe has room, queueing the rest),
 * about 4-6 µs: more than the line costs to make, and near a tenth of a request's time in the
 * server. So lines are gathered and written together:
 *
 * - while requests are rare (the last write was {@link BUSY_MS} or more ago) a line goes out at the
 *   end of the event-loop turn that made it (`setImmediate`): no delay a reader could notice;
 * - while they come fast, at most {@link BUSY_MS} later, in one write with the lines after it;
 * - at once when {@link MAX_PENDING_CHARS} are waiting;
 * - and whatever waits on {@link RequestLogWriter.flush} (the command calls it after the server has
 *   closed, before `stopped`, and on process exit), so no line is lost on shutdown.
 *
 * Lines keep their order.
 */

/** Lines closer together than this are gathered for up to this long, in ms. */
export const BUSY_MS = 10;
/** Pending characters that are written at once. */
export const MAX_PENDING_CHARS = 64 * 1024;

/** Gathers request-log lines and writes them to `out` together (see the module comment). */
export class RequestLogWriter {
  private readonly out: NodeJS.WritableStream;
  private pending = '';
  private cancel: (() => void) | undefined;
  private lastWrite = Number.NEGATIVE_INFINITY;
  private readonly flushNow = (): void => this.flush();

  constructor(out: NodeJS.WritableStream) {
    this.out = out;
  }

  /** Adds one line (with its `\n`). */
  write(line: string): void {
    this.pending += line;
    if (this.pending.length >= MAX_PENDING_CHARS) {
      this.flush();
      return;
    }
    if (this.cancel !== undefined) return; // a write is due already
    if (performance.now() - this.lastWrite >= BUSY_MS) {
      const immediate = setImmediate(this.flushNow);
      this.cancel = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(this.flushNow, BUSY_MS);
      this.cancel = () => clearTimeout(timer);
    }
  }

  /** Writes every pending line now. */
  flush(): void {
    this.cancel?.();
    this.cancel = undefined;
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.lastWrite = performance.now();
    this.out.write(text);
  }
}
