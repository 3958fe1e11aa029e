/**
 * Reads a state document as a stream without holding it: the elements of its long lists (apps, users, appUsers and
 * the four ephemeral lists) come out one by one as JSON text for `JSON.parse`, and everything else — format, version,
 * clock, faults and the lists' brackets — is kept as a small "skeleton" document (the lists empty) that is parsed and
 * checked at the end. A syntax error inside an element fails that element's parse; one between elements fails the
 * skeleton's.
 */

/** The long lists of a state document, by JSON path. */
export type StateListName =
  | 'apps'
  | 'users'
  | 'appUsers'
  | 'ephemeral.loginCodes'
  | 'ephemeral.accessTokens'
  | 'ephemeral.cloudIds'
  | 'ephemeral.counters';

/** One element of a long list, as text. */
export interface StateElement {
  list: StateListName;
  index: number;
  text: string;
}

/** A document the splitter cannot read; `path` says where. */
export class StateSyntaxError extends Error {
  override readonly name = 'StateSyntaxError';
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

const TOP_LISTS = new Set(['apps', 'users', 'appUsers']);
const EPHEMERAL_LISTS = new Set(['loginCodes', 'accessTokens', 'cloudIds', 'counters']);
/** Largest element (a user with a long history is ~150 kB) and largest skeleton (faults, clock) accepted. */
const MAX_ELEMENT_CHARS = 32 * 1024 * 1024;
const MAX_SKELETON_CHARS = 8 * 1024 * 1024;
/** Elements handed out per batch. */
const BATCH = 200;
const STRUCTURAL = /["{}[\],:]/g;

/** Splits the text stream of a state document; yields batches of elements and returns the skeleton's text. */
export async function* splitStateDocument(source: AsyncIterable<string>, maxDepth: number): AsyncGenerator<StateElement[], string> {
  const stack: number[] = []; // char codes of the open brackets
  const keys: string[] = [];
  let inString = false;
  let escapePending = false;
  let keyParts: string[] | undefined; // a string being read at depth ≤ 2 outside the lists (a possible key)
  let lastString = '';
  let list: StateListName | undefined;
  let listDepth = 0;
  let index = 0;
  let elementParts: string[] = [];
  let elementChars = 0;
  let skeleton = '';
  let batch: StateElement[] = [];

  const emit = (text: string, closing: boolean): void => {
    if (text.trim() === '') {
      if (closing && index === 0) return; // an empty list
      throw new StateSyntaxError(`${list}[${index}]`, 'expected a value (a comma too many?)');
    }
    batch.push({ list: list!, index: index++, text });
  };

  for await (const chunk of source) {
    let i = 0;
    let elementFrom = 0;
    let skeletonFrom = 0;
    if (inString && escapePending) {
      escapePending = false;
      i = 1;
    }
    while (i < chunk.length) {
      if (inString) {
        const quote = chunk.indexOf('"', i);
        if (quote < 0) {
          let slashes = 0;
          for (let k = chunk.length - 1; k >= i && chunk.charCodeAt(k) === 92; k--) slashes++;
          escapePending = slashes % 2 === 1;
          keyParts?.push(chunk.slice(i));
          i = chunk.length;
          break;
        }
        let slashes = 0;
        for (let k = quote - 1; k >= i && chunk.charCodeAt(k) === 92; k--) slashes++;
        if (slashes % 2 === 1) {
          keyParts?.push(chunk.slice(i, quote + 1));
          i = quote + 1;
          continue;
        }
        if (keyParts) {
          keyParts.push(chunk.slice(i, quote));
          lastString = keyParts.join('');
          keyParts = undefined;
        }
        inString = false;
        i = quote + 1;
        continue;
      }
      STRUCTURAL.lastIndex = i;
      const m = STRUCTURAL.exec(chunk);
      if (!m) break;
      const at = m.index;
      const c = chunk.charCodeAt(at);
      i = at + 1;
      switch (c) {
        case 34: // "
          inString = true;
          if (list === undefined && stack.length <= 2) keyParts = [];
          break;
        case 123: // {
        case 91: // [
          stack.push(c);
          if (stack.length > maxDepth) {
            throw new StateSyntaxError(list === undefined ? '(top level)' : `${list}[${index}]`, `the document nests arrays and objects deeper than ${maxDepth} levels`);
          }
          if (list === undefined && c === 91) {
            const d = stack.length;
            const name =
              d === 2 && TOP_LISTS.has(keys[1] ?? '') ? keys[1] : d === 3 && keys[1] === 'ephemeral' && EPHEMERAL_LISTS.has(keys[2] ?? '') ? `ephemeral.${keys[2]}` : undefined;
            if (name !== undefined && stack[d - 2] === 123) {
              list = name as StateListName;
              listDepth = d;
              index = 0;
              skeleton += chunk.slice(skeletonFrom, i);
              elementFrom = i;
              elementParts = [];
              elementChars = 0;
            }
          }
          break;
        case 125: // }
        case 93: // ]
          if (list !== undefined && stack.length === listDepth) {
            elementParts.push(chunk.slice(elementFrom, at));
            emit(elementParts.join(''), true);
            list = undefined;
            skeletonFrom = at;
          }
          stack.pop();
          break;
        case 44: // ,
          if (list !== undefined && stack.length === listDepth) {
            elementParts.push(chunk.slice(elementFrom, at));
            emit(elementParts.join(''), false);
            elementParts = [];
            elementChars = 0;
            elementFrom = i;
          }
          break;
        case 58: // :
          if (list === undefined && stack.length <= 2) keys[stack.length] = lastString;
          break;
      }
    }
    if (list !== undefined) {
      const rest = chunk.slice(elementFrom);
      elementParts.push(rest);
      elementChars += rest.length;
      if (elementChars > MAX_ELEMENT_CHARS) throw new StateSyntaxError(`${list}[${index}]`, `an element longer than ${MAX_ELEMENT_CHARS} characters`);
    } else {
      skeleton += chunk.slice(skeletonFrom);
      if (skeleton.length > MAX_SKELETON_CHARS) throw new StateSyntaxError('(top level)', `more than ${MAX_SKELETON_CHARS} characters outside the lists`);
    }
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (list !== undefined || inString) throw new StateSyntaxError(list ?? '(top level)', 'the document ends in the middle (was it cut off?)');
  if (batch.length > 0) yield batch;
  return skeleton;
}
