import { expect, it } from 'vitest';
import { jsonNestsDeeperThan } from './json-body.js';

it('counts nesting outside strings only, escapes included', () => {
  expect(jsonNestsDeeperThan('[[[1]]]', 3)).toBe(false);
  expect(jsonNestsDeeperThan('[[[[1]]]]', 3)).toBe(true);
  expect(jsonNestsDeeperThan(JSON.stringify({ a: '[[[[[[\\"{{{{' }), 1)).toBe(false);
  expect(jsonNestsDeeperThan('{"a":[1],"b":[2],"c":{"d":[3]}}', 3)).toBe(false);
  expect(jsonNestsDeeperThan('['.repeat(100_000), 64)).toBe(true);
});
