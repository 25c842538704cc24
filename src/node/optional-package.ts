import { RuntimeError } from '../../shared/errors.js';

/** The optional peer dependencies the Node API loads on demand (see package.json peerDependenciesMeta). */
export type OptionalPackage = 'sharp' | 'webgpu';

/**
 * Loads an optional peer dependency, or throws E_MISSING_PACKAGE saying what needs it and the
 * command that installs it, instead of a module-resolution stack trace.
 */
export async function importOptionalPackage<Module>(
  name: OptionalPackage,
  neededFor: string,
  load: () => Promise<Module>,
): Promise<Module> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
    // Installed but unloadable (no prebuilt binary for this platform): say why, same fix.
    const why = missing ? 'is not installed' : `failed to load (${firstLine(error)})`;
    throw new RuntimeError('E_MISSING_PACKAGE', `${neededFor} needs the optional package '${name}', which ${why}: npm install ${name}`, {
      cause: error,
    });
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
