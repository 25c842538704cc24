/**
 * What installing the package adds to a fresh app: the app is installed first without it, then
 * `npm install <tarball>` runs in it, as a user would do.
 */
import { join } from 'node:path';
import { createConsumerApp, type ConsumerApp } from './consumer-app.js';
import { eagerJs, type EagerJs } from './eager-js.js';
import { footprintDelta, snapshotNodeModules, type FootprintDelta, type NodeModulesSnapshot } from './footprint.js';

export interface InstallFootprint extends FootprintDelta {
  /** The app's node_modules before and after, in bytes. */
  readonly bytesBefore: number;
  readonly bytesAfter: number;
}

export interface InstallMeasurement {
  readonly footprint: InstallFootprint;
  /** The app, with the package installed; the caller disposes of it. */
  readonly app: ConsumerApp;
}

/** Installs `template` with `deps`, then adds `tarball` (and `extra` packages) and measures the difference. */
export function measureInstall(options: {
  readonly template: string;
  readonly deps?: Readonly<Record<string, string>>;
  readonly tarball: string;
  readonly extra?: readonly string[];
}): InstallMeasurement {
  const app = createConsumerApp({ template: options.template, tarball: null, ...(options.deps && { deps: options.deps }) });
  try {
    const before: NodeModulesSnapshot = snapshotNodeModules(app.dir);
    app.install([options.tarball, ...(options.extra ?? [])]);
    const after = snapshotNodeModules(app.dir);
    return { footprint: { ...footprintDelta(before, after), bytesBefore: before.bytes, bytesAfter: after.bytes }, app };
  } catch (error) {
    app.dispose();
    throw error;
  }
}

/** Builds a Vite app (`vite build --manifest`) and measures the JavaScript its page loads eagerly. */
export function buildViteApp(app: ConsumerApp): EagerJs {
  app.run('npx', ['vite', 'build', '--manifest', '--logLevel', 'warn']);
  return eagerJs(join(app.dir, 'dist'));
}
