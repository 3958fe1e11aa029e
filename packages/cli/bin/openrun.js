#!/usr/bin/env node
// The `openrun` command: runs the built CLI (npm ci builds it through the root `prepare` script).
import('../dist/index.js')
  .then((cli) => cli.runCli(process.argv))
  .catch((error) => {
    // A reader that went away (`openrun export | head`) is not an error.
    if (error && error.code === 'EPIPE') return;
    const message = error instanceof Error ? error.message : String(error);
    console.error(message.startsWith('[openrun]') ? message : `[openrun] ${message}`);
    process.exitCode = 1;
  });
