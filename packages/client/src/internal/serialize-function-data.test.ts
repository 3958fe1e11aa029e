import { CLOUD_ID_MARKER_KEY, readCloudIdMarker } from '@openrun/core';
import { describe, expect, it } from 'vitest';
import { CloudID } from '../cloud-id.js';
import { serializeFunctionData } from './serialize-function-data.js';

describe('serializeFunctionData', () => {
  it('sends a top-level CloudID as the core marker and a nested one as its plain string', () => {
    const body = JSON.parse(
      serializeFunctionData({ weRunData: CloudID('1_top'), obj: { shareInfo: CloudID('2_nested') }, n: 1 }),
    ) as { data: Record<string, unknown> };
    expect(readCloudIdMarker(body.data.weRunData)).toBe('1_top');
    expect(body.data.obj).toEqual({ shareInfo: '2_nested' });
    expect(body.data.n).toBe(1);
  });

  it('sends CloudIDs inside a top-level array as plain strings', () => {
    const body = JSON.parse(serializeFunctionData({ list: [CloudID('a'), new CloudID('b')] })) as { data: { list: unknown } };
    expect(body.data.list).toEqual(['a', 'b']);
  });

  it('marks every top-level CloudID, leaving the five-replacement limit to the platform', () => {
    const data: Record<string, unknown> = {};
    for (let i = 0; i < 6; i++) data[`k${i}`] = CloudID(`id${i}`);
    const body = JSON.parse(serializeFunctionData(data)) as { data: Record<string, unknown> };
    expect(Object.values(body.data).map((v) => readCloudIdMarker(v))).toEqual(['id0', 'id1', 'id2', 'id3', 'id4', 'id5']);
  });

  it('leaves a plain string that happens to be a cloudID alone', () => {
    const body = JSON.parse(serializeFunctionData({ id: '1_plain' })) as { data: Record<string, unknown> };
    expect(body.data.id).toBe('1_plain');
    expect(JSON.stringify(body)).not.toContain(CLOUD_ID_MARKER_KEY);
  });
});
