#!/usr/bin/env node
// Launcher for the compiled CLI (src/cli/main.ts, built into dist/ by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  process.stderr.write(
    `spin-transfer: the compiled CLI is missing (${fileURLToPath(entry)}).\n` +
      `Run \`npm run build\` in ${root} first.\n`,
  );
  process.exit(1);
}
const { runCli } = await import(entry.href);
await runCli(process.argv.slice(2));
