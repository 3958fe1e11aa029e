/**
 * The request log keeps redacted bodies (issue 14). A body nested deeper than any route accepts still reaches the log
 * (the fuzz test of issue 10 found it): copying or printing it must not overflow the stack after the reply was sent.
 */
import { expect, it } from 'vitest';
import { redactBody } from '../../src/plugins/request-log.js';

const nested = (depth: number): unknown => {
  let value: unknown = { session_key: 'secret' };
  for (let i = 0; i < depth; i++) value = { a: [value] };
  return value;
};

it('a body nested 20,000 levels deep is logged cut short, without throwing', () => {
  const logged = redactBody(nested(20_000));
  expect(logged).toContain('[nested too deep]');
  expect(logged).not.toContain('secret');
  expect(logged!.length).toBeLessThanOrEqual(4096 + 64);
});

it('the same body as JSON text is logged cut short, without throwing', () => {
  const text = `${'{"a":['.repeat(20_000)}1${']}'.repeat(20_000)}`;
  expect(() => redactBody(text)).not.toThrow();
  expect(redactBody(text)).toMatch(/more characters]$|nested too deep/);
});

it('shallow bodies keep their shape with sensitive values redacted', () => {
  expect(redactBody({ code: 'abc', errcode: 40029, nested: { session_key: 'k' } })).toBe(
    '{"code":"[redacted]","errcode":40029,"nested":{"session_key":"[redacted]"}}',
  );
});
