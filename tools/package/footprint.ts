/**
 * What an install puts in an app's node_modules: packages, bytes, install scripts and native
 * binaries. Compare two snapshots (before and after adding the package) to see what it adds.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface NodeModulesSnapshot {
  /** Installed packages, as paths relative to the app (nested copies counted apart). */
  readonly packages: ReadonlySet<string>;
  /** Apparent size of every file under node_modules, in bytes. */
  readonly bytes: number;
  /** Packages whose package.json has a preinstall, install or postinstall script, or a binding.gyp. */
  readonly installScripts: ReadonlySet<string>;
  /** Executable machine code: ELF, Mach-O or PE files, and `.node` addons. */
  readonly nativeFiles: ReadonlySet<string>;
}

const INSTALL_HOOKS = ['preinstall', 'install', 'postinstall'];
const MAGIC = [
  Buffer.from([0x7f, 0x45, 0x4c, 0x46]), // ELF
  Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), // Mach-O 64-bit
  Buffer.from([0xce, 0xfa, 0xed, 0xfe]), // Mach-O 32-bit
  Buffer.from([0xca, 0xfe, 0xba, 0xbe]), // Mach-O universal
];

function isNative(file: string): boolean {
  if (file.endsWith('.node') || file.endsWith('.dll') || file.endsWith('.exe')) return true;
  const head = Buffer.alloc(4);
  const fd = openSync(file, 'r');
  try {
    if (readSync(fd, head, 0, 4, 0) < 4) return false;
  } finally {
    closeSync(fd);
  }
  return MAGIC.some((magic) => magic.equals(head));
}

function hasInstallScript(packageDir: string): boolean {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  return INSTALL_HOOKS.some((hook) => manifest.scripts?.[hook]) || existsSync(join(packageDir, 'binding.gyp'));
}

/** Package folders directly inside a node_modules folder (scoped ones one level deeper). */
function packageDirs(nodeModules: string): string[] {
  if (!existsSync(nodeModules)) return [];
  return readdirSync(nodeModules, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .flatMap((entry) => {
      const dir = join(nodeModules, entry.name);
      return entry.name.startsWith('@') ? readdirSync(dir).map((name) => join(dir, name)) : [dir];
    })
    .filter((dir) => existsSync(join(dir, 'package.json')));
}

/** Walks `<appDir>/node_modules`, nested node_modules included. */
export function snapshotNodeModules(appDir: string): NodeModulesSnapshot {
  const packages = new Set<string>();
  const installScripts = new Set<string>();
  const pending = packageDirs(join(appDir, 'node_modules'));
  for (let dir = pending.pop(); dir; dir = pending.pop()) {
    const name = relative(appDir, dir);
    packages.add(name);
    if (hasInstallScript(dir)) installScripts.add(name);
    pending.push(...packageDirs(join(dir, 'node_modules')));
  }
  let bytes = 0;
  const nativeFiles = new Set<string>();
  const root = join(appDir, 'node_modules');
  const entries = existsSync(root) ? readdirSync(root, { withFileTypes: true, recursive: true }) : [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    bytes += statSync(file).size;
    if (isNative(file)) nativeFiles.add(relative(appDir, file));
  }
  return { packages, bytes, installScripts, nativeFiles };
}

export interface FootprintDelta {
  readonly addedPackages: number;
  readonly addedBytes: number;
  readonly addedInstallScripts: string[];
  readonly addedNativeFiles: string[];
}

/** What `after` has that `before` did not. */
export function footprintDelta(before: NodeModulesSnapshot, after: NodeModulesSnapshot): FootprintDelta {
  const added = (a: ReadonlySet<string>, b: ReadonlySet<string>): string[] => [...b].filter((x) => !a.has(x)).sort();
  return {
    addedPackages: added(before.packages, after.packages).length,
    addedBytes: after.bytes - before.bytes,
    addedInstallScripts: added(before.installScripts, after.installScripts),
    addedNativeFiles: added(before.nativeFiles, after.nativeFiles),
  };
}
