/**
 * The schema-version rule every store follows: a store records the version of its schema; an older one is migrated in
 * one transaction when it is opened; one written by a newer OpenRun is refused, naming both versions.
 */

/** A store written by a newer OpenRun than this one. */
export class StoreVersionError extends Error {
  override readonly name = 'StoreVersionError';
  constructor(
    readonly where: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `[openrun] ${where} has schema version ${found}, but this OpenRun knows versions up to ${known}: ` +
        'it was written by a newer OpenRun; upgrade OpenRun (or point it at another store)',
    );
  }
}

/** The migrations still to run on a store at version `found` (throws for a newer store). */
export function pendingMigrations<T>(migrations: readonly T[], found: number, where: string): { version: number; step: T }[] {
  if (!Number.isInteger(found) || found < 0) throw new Error(`[openrun] ${where} has an unreadable schema version "${found}"`);
  if (found > migrations.length) throw new StoreVersionError(where, found, migrations.length);
  return migrations.slice(found).map((step, i) => ({ version: found + i + 1, step }));
}
