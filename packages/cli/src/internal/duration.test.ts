import { expect, it } from 'vitest';
import { parseDuration } from './duration.js';

it('reads seconds, minutes, hours, days and weeks, and refuses anything else', () => {
  expect(parseDuration('300s')).toBe(300);
  expect(parseDuration('5m')).toBe(300);
  expect(parseDuration('1d')).toBe(86_400);
  expect(parseDuration('2h')).toBe(7200);
  expect(parseDuration('1w')).toBe(604_800);
  expect(parseDuration('90')).toBe(90);
  expect(parseDuration('-1d')).toBe(-86_400);
  expect(parseDuration('5 minutes')).toBeUndefined();
  expect(parseDuration('')).toBeUndefined();
});
