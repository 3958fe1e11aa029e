/**
 * `openrun scenario apply FILE`: replaces the state of a running platform with a scenario file (YAML or JSON).
 */
import type { AppView, UserView } from '@openrun/platform';
import type { Command } from 'commander';
import { withExample } from '../internal/help-example.js';
import { counted } from '../internal/format.js';
import { readScenarioFile } from '../scenario-file.js';
import { clientOf, stdoutOutput, withTarget, type CommandOutput, type TargetOptions } from '../internal/target.js';

/** Adds `scenario apply`. */
export function registerScenarioCommands(program: Command, output: CommandOutput = stdoutOutput): void {
  const scenario = withExample(program.command('scenario').description('scenario files: the whole state declared in one YAML or JSON file'), 'openrun scenario apply team.yaml');
  withExample(withTarget(scenario.command('apply')), 'openrun scenario apply team.yaml')
    .description('replace the whole state with a scenario file (checked first; nothing half-applied)')
    .argument('<file>', 'a scenario file (.yaml, .yml or .json)')
    .action(async (file: string, o: TargetOptions) => {
      const body = await readScenarioFile(file);
      const r = await clientOf(o).json<{ apps: AppView[]; users: UserView[] }>('POST', '/scenario', body);
      output.out(`[openrun] applied ${file}: ${counted(r.apps.length, 'app')}, ${counted(r.users.length, 'user')}`);
    });
}
