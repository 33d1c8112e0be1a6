/**
 * /public/assets/replay.js: src/verify and the replay page's client, bundled by esbuild.
 * Built at `npm run build` (scripts/bundle-replay.mjs → dist/public/assets/replay.js); a server
 * run from the sources (vitest, tsx) without that file bundles the same entry in memory once,
 * with the same options, the first time the script is asked for.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's root: the nearest folder up from this module holding package.json (src/ or dist/src/). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('replay bundle: no package.json above the server module');
    dir = up;
  }
  return dir;
}

let cached: Promise<string> | undefined;

async function load(): Promise<string> {
  const root = repoRoot();
  const built = join(root, 'dist', 'public', 'assets', 'replay.js');
  const entry = join(root, 'src', 'api', 'site', 'client', 'replay.ts');
  // A source checkout prefers a fresh in-memory bundle (the built file may be stale); an install has only dist.
  if (!existsSync(entry)) return readFileSync(built, 'utf8');
  try {
    const { build } = await import('esbuild');
    const out = await build({ entryPoints: [entry], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2020', minify: true, legalComments: 'eof', logLevel: 'silent' });
    return out.outputFiles[0]!.text;
  } catch (e) {
    if (existsSync(built)) return readFileSync(built, 'utf8');
    throw e;
  }
}

/** The bundle's text, loaded or built once per process. */
export function replayScript(): Promise<string> {
  cached ??= load().catch((e: unknown) => {
    cached = undefined;
    throw e;
  });
  return cached;
}

/** The replay and ledger pages' few extra rules (long hashes wrap; the check table keeps its labels readable at 375 px). */
export const REPLAY_CSS = `
.replay-checks th[scope=row]{min-width:6.5em}
.replay-checks td:nth-child(2){white-space:nowrap}
.verdict{font-size:1.15em;padding:4px 10px}
pre.checkpoint{white-space:pre-wrap;word-break:break-all;background:#f7f7f7;padding:8px;border:1px solid #ddd}
.draw-record code,#log-key,.replay-checks code{word-break:break-all}
`;
