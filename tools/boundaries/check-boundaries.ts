/**
 * `npm run check:boundaries` (part of `npm test`): fails when a file imports across a folder
 * boundary that tools/boundaries/boundaries.ts forbids.
 */
import { findViolations, repositorySources } from './boundaries.js';

const files = repositorySources();
const violations = findViolations(files);
for (const { file, line, target, why } of violations) console.error(`${file}:${line}: imports ${target}, which it may not (${why})`);
console.log(`boundaries: ${files.length} files checked, ${violations.length} violation(s)`);
process.exit(violations.length > 0 ? 1 : 0);
