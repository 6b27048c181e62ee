/**
 * For the Angular child processes only (never imported by mocha's own
 * process: zone.js patches globals): a DOM from domino, zone.js for Node,
 * the JIT compiler, and the TestBed environment.
 */
import domino from 'domino';
import 'zone.js/node';
import '@angular/compiler';

const window = domino.createWindow('<!doctype html><html><head></head><body></body></html>', 'http://localhost/');
const globals = globalThis as Record<string, unknown>;
for (const name of ['document', 'Node', 'Element', 'HTMLElement', 'Event', 'KeyboardEvent', 'MouseEvent']) {
  if (!(name in globals)) globals[name] = (window as unknown as Record<string, unknown>)[name];
}

const { TestBed } = await import('@angular/core/testing');
const { BrowserTestingModule, platformBrowserTesting } = await import('@angular/platform-browser/testing');
TestBed.initTestEnvironment(BrowserTestingModule, platformBrowserTesting());

/** Polls `ok` from the root zone (no change detection caused by the polling itself). */
export function until(ok: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = (): void => {
      if (ok()) resolve();
      else if (Date.now() - started > ms) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 20);
    };
    Zone.root.run(poll);
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => Zone.root.run(() => setTimeout(resolve, ms)));
