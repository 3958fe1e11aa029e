import { resolveConfig } from '@openrun/platform';
import { expect, it } from 'vitest';

it('takes functionsDir from the option, then OPENRUN_FUNCTIONS, else none; a blank variable is unset', () => {
  expect(resolveConfig({}, {}).functionsDir).toBeUndefined();
  expect(resolveConfig({}, { OPENRUN_FUNCTIONS: './cloudfunctions' }).functionsDir).toBe('./cloudfunctions');
  expect(resolveConfig({ functionsDir: '/srv/fns' }, { OPENRUN_FUNCTIONS: './cloudfunctions' }).functionsDir).toBe('/srv/fns');
  expect(resolveConfig({}, { OPENRUN_FUNCTIONS: '  ' }).functionsDir).toBeUndefined();
});
