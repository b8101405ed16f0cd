/**
 * `npm start` runs this first (prestart): builds the web app (packages/web/dist) when it is missing
 * or older than its sources, so `npm ci && npm start` serves it at /app/.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const web = new URL('../packages/web/', import.meta.url).pathname;

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const built = (() => {
  try {
    return statSync(join(web, 'dist', 'index.html')).mtimeMs;
  } catch {
    return 0;
  }
})();
const sources = Math.max(newest(join(web, 'src')), statSync(join(web, 'index.html')).mtimeMs);
if (built < sources) {
  console.log('Building the web app (packages/web) …');
  const npm = process.env['npm_execpath'];
  const args = ['run', 'build', '-w', '@yiyun/web'];
  const result = npm
    ? spawnSync(process.execPath, [npm, ...args], { stdio: 'inherit' })
    : spawnSync('npm', args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
