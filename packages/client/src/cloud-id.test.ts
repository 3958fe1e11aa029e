import { describe, expect, it } from 'vitest';
import { CloudID, CloudIdObject } from './cloud-id.js';

describe('CloudID', () => {
  it('works with and without new and yields the same kind of object', () => {
    const called = CloudID('1_a');
    const constructed = new CloudID('1_b');
    expect(called).toBeInstanceOf(CloudIdObject);
    expect(constructed).toBeInstanceOf(CloudID);
    expect([called.cloudID, constructed.cloudID]).toEqual(['1_a', '1_b']);
  });

  it('throws a TypeError naming the problem when given a non-string', () => {
    expect(() => CloudID(42 as unknown as string)).toThrow(/expects the cloudID string/);
  });
});
