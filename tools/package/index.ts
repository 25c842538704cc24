/** Package-internal tools shared by tests and benchmarks: pack the package, install it into an app. */
export { packPackage, packedFiles, type PackedFile } from './pack-package.js';
export { createConsumerApp, repoVersion, TEMPLATES_DIR, type CommandResult, type ConsumerApp, type ConsumerAppOptions } from './consumer-app.js';
export { REPO_ROOT } from './repo-root.js';
export { typeCheckApp, type TypeCheckResult } from './type-check.js';
export { readme, readmeSection, readmeTsBlock } from './readme-snippets.js';
