/**
 * `openrun apps list` and `openrun apps create`: the mini programs registered on a running platform.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { AppView } from '@openrun/platform';
import { withExample } from '../internal/help-example.js';
import { table } from '../internal/format.js';
import { clientOf, stdoutOutput, withTarget, type CommandOutput, type TargetOptions } from '../internal/target.js';

const appRows = (apps: AppView[]): string[][] =>
  apps.map((a) => [a.platform, a.appid, a.secret, a.cloud ? (a.cloudEnv ?? 'on') : 'off', a.baseLibVersion, a.name]);

function platformOf(value: string): 'weapp' | 'qq' {
  if (value === 'weapp' || value === 'qq') return value;
  throw new InvalidArgumentError('the platform is weapp (WeChat) or qq');
}

/** Adds `apps list` and `apps create`. */
export function registerAppsCommands(program: Command, output: CommandOutput = stdoutOutput): void {
  const apps = withExample(program.command('apps').description('mini programs of a running platform'), 'openrun apps list');

  withExample(withTarget(apps.command('list')), 'openrun apps list', 'openrun apps list --json')
    .description('list the apps with their appid, secret and cloud env (a table; --json for JSON)')
    .option('--json', 'print JSON')
    .action(async (o: TargetOptions & { json?: boolean }) => {
      const r = await clientOf(o).json<{ apps: AppView[] }>('GET', '/apps');
      if (o.json) return output.out(JSON.stringify({ apps: r.apps }, null, 2));
      if (r.apps.length === 0) return output.out('[openrun] no apps');
      for (const line of table(['PLATFORM', 'APPID', 'SECRET', 'CLOUD ENV', 'BASE LIB', 'NAME'], appRows(r.apps))) output.out(line);
    });

  withExample(withTarget(apps.command('create')), 'openrun apps create --platform weapp --name "Step challenge" --cloud')
    .description('register a WeChat (weapp) or QQ (qq) mini program with generated credentials')
    .requiredOption('--platform <platform>', 'weapp or qq', platformOf)
    .option('--name <name>', 'display name')
    .option('--cloud', 'turn cloud development on (WeChat only)')
    .option('--base-lib <version>', 'emulated base-library version, e.g. 2.10.2')
    .option('--json', 'print the created app as JSON')
    .action(async (o: TargetOptions & { platform: 'weapp' | 'qq'; name?: string; cloud?: boolean; baseLib?: string; json?: boolean }) => {
      const app = await clientOf(o).json<AppView>('POST', '/apps', {
        platform: o.platform,
        ...(o.name !== undefined ? { name: o.name } : {}),
        ...(o.cloud ? { cloud: true } : {}),
        ...(o.baseLib !== undefined ? { baseLibVersion: o.baseLib } : {}),
      });
      if (o.json) return output.out(JSON.stringify(app, null, 2));
      output.out(`[openrun] created ${app.platform} app ${app.appid}`);
      output.out(`  appid=${app.appid} secret=${app.secret}${app.cloudEnv ? ` cloud env=${app.cloudEnv}` : ''}`);
    });
}
