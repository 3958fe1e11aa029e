/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal (pipes and CI logs stay clean).
 */

/** A progress bar. */
export interface ProgressBar {
  update(done: number): void;
  finish(): void;
}

/** Creates a bar for `total` units of work, labelled `label`. */
export function createProgressBar(
  total: number,
  label: string,
  stream: { isTTY?: boolean; write(text: string): boolean } = process.stderr,
): ProgressBar {
  const width = 30;
  let last = '';
  const draw = (done: number): void => {
    if (!stream.isTTY) return;
    const share = total === 0 ? 1 : Math.min(done / total, 1);
    const filled = Math.round(share * width);
    const line = `\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(share * 100)}% (${done}/${total})`;
    if (line !== last) stream.write(line);
    last = line;
  };
  return {
    update: draw,
    finish() {
      draw(total);
      if (stream.isTTY) stream.write('\n');
    },
  };
}

/** A byte counter on stderr for a transfer of unknown size, drawn only on a terminal (at most every 64 KiB). */
export function createByteMeter(
  label: string,
  stream: { isTTY?: boolean; write(text: string): boolean } = process.stderr,
): ProgressBar {
  let drawnAt = -Infinity;
  let done = 0;
  const draw = (): void => {
    if (stream.isTTY) stream.write(`\r${label} ${(done / 1048576).toFixed(1)} MB`);
    drawnAt = done;
  };
  return {
    update(bytes) {
      done = bytes;
      if (done - drawnAt >= 65536) draw();
    },
    finish() {
      draw();
      if (stream.isTTY) stream.write('\n');
    },
  };
}
