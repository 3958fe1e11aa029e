#!/usr/bin/env node
// The `openrun` command: runs the built CLI (npm ci builds it through the root `prepare` script).
import('../dist/index.js')
  .then((cli) => cli.runCli(process.argv))
  .catch((error) => {
    console.error(`[openrun] ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
