/** The package's version: written into converted models and part of the runtime's cache keys; a test keeps it equal to package.json's. */
export const PACKAGE_VERSION = '0.1.0';
