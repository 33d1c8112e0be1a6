#!/usr/bin/env node
// Bundles src/verify and the replay page's client entry for the browser (issue 11; docs/public.md
// "Replaying a draw in the browser"): one ES2020 IIFE, no dependencies at run time, served at
// /public/assets/replay.js. Run by `npm run build` (so `npm start` and `npm test` have it); the
// server bundles in memory from the sources when this file is absent (a checkout run with tsx/vitest).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REPLAY_ENTRY = join(root, 'src', 'api', 'site', 'client', 'replay.ts');
export const REPLAY_OUT = join(root, 'dist', 'public', 'assets', 'replay.js');

await build({
  entryPoints: [REPLAY_ENTRY],
  outfile: REPLAY_OUT,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
});
