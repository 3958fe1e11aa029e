/**
 * The lookup tag of a random key (an access token, a cloudID): a 53-bit hash of its text. The SQLite tables of those
 * keys are kept in issue order and found by an index of tags, whose entries are small: a new key dirties one small
 * index page, not a page of a wide index of the keys' texts, and commits stay about as cheap with 50k keys as with 1k.
 * Two keys may share a tag: a lookup also compares the text.
 */

/** The tag of `key` (FNV-1a and a second multiplicative hash, 32 + 21 bits). */
export function keyTag(key: string): number {
  let a = 0x811c9dc5;
  let b = 0x2545f491;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 0x200000 + (b >>> 11);
}
