import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** The built app (`npm run build -w @yiyun/web`); e2e tests never build it themselves. */
export const DIST_DIR = resolve(import.meta.dirname, '../dist');
export const SCREENSHOT_DIR = resolve(import.meta.dirname, 'screenshots');
export const CHROMIUM = '/usr/bin/chromium';

export function assertBuilt(): void {
  if (!existsSync(join(DIST_DIR, 'index.html'))) {
    throw new Error(`${DIST_DIR}/index.html is missing: run \`npm run build -w @yiyun/web\` first`);
  }
}

/** Debian's Chromium; installed on the spot when we are root and apt works, else a clear failure. */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.getuid?.() === 0) {
    try {
      execFileSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'inherit' });
    } catch {
      // fall through to the message below
    }
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's \`chromium\` package`);
  return CHROMIUM;
}

/**
 * The UI is Chinese first: without a CJK font, screenshots show empty boxes. Debian's small
 * `fonts-wqy-microhei` is installed when missing and possible; otherwise the test goes on.
 */
export function ensureCjkFont(): void {
  const hasFont = () => {
    try {
      return execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).trim().length > 0;
    } catch {
      return false;
    }
  };
  if (hasFont() || process.getuid?.() !== 0) return;
  try {
    execFileSync('apt-get', ['install', '-y', 'fonts-wqy-microhei'], { stdio: 'ignore' });
  } catch {
    console.warn('no CJK font (fonts-wqy-microhei): Chinese text in screenshots will show as boxes');
  }
}

export interface Browser extends AsyncDisposable {
  readonly context: BrowserContext;
}

/**
 * Headless Chromium with an empty profile (launchPersistentContext: Chromium refuses
 * --user-data-dir through a plain launch). WebGL 2 runs headless here through SwiftShader.
 */
export async function launchBrowser(options: { readonly args?: readonly string[] } = {}): Promise<Browser> {
  ensureCjkFont();
  const profile = await mkdtemp(join(tmpdir(), 'yiyun-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: ensureChromium(),
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', ...(options.args ?? ['--disable-gpu'])],
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
  });
  return {
    context,
    async [Symbol.asyncDispose]() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
