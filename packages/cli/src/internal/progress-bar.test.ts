import { expect, it } from 'vitest';
import { createProgressBar } from './progress-bar.js';

it('draws on a terminal and stays silent on a pipe', () => {
  const tty = { isTTY: true, text: '', write(t: string) { this.text += t; return true; } };
  const bar = createProgressBar(4, 'work', tty);
  bar.update(1);
  bar.update(1);
  bar.finish();
  expect(tty.text).toBe(`\rwork [${'#'.repeat(8)}${'-'.repeat(22)}] 25% (1/4)\rwork [${'#'.repeat(30)}] 100% (4/4)\n`);
  const pipe = { isTTY: false, text: '', write(t: string) { this.text += t; return true; } };
  const quiet = createProgressBar(4, 'work', pipe);
  quiet.update(2);
  quiet.finish();
  expect(pipe.text).toBe('');
});
