/**
 * Reads a scenario file (`openrun start --scenario FILE`): YAML (`.yaml`, `.yml`) or JSON, with syntax errors reported
 * as `file:line:column: what`.
 */
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';

/** The parsed content of a scenario file; throws an Error naming the file and position on bad syntax. */
export async function readScenarioFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`[openrun] cannot read the scenario file ${path}: ${(error as Error).message}`);
  }
  if (/\.json$/i.test(path)) {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new Error(`[openrun] ${path}: not valid JSON (${(error as Error).message})`);
    }
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const problem = doc.errors[0];
  if (problem) {
    const at = problem.linePos?.[0];
    throw new Error(`[openrun] ${path}${at ? `:${at.line}:${at.col}` : ''}: not valid YAML (${problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')})`);
  }
  return doc.toJS() as unknown;
}
