/**
 * `npx tsx bench/package/install-footprint.ts [--tarball <file.tgz>]`: what installing the package
 * adds to a fresh Vite app and to a fresh Node project (packages, MB, install scripts, native
 * binaries), and the gzipped JavaScript the README's first example loads eagerly in a Vite build.
 * Without --tarball it packs this checkout; pass an older tarball to measure "before".
 */
import { packPackage, repoVersion } from '../../tools/package/index.js';
import { buildViteApp, measureInstall, type InstallFootprint } from '../../tools/package/install-footprint.js';

const MB = 1e6;
const tarballArg = process.argv.indexOf('--tarball');
const tarball = tarballArg > 0 ? (process.argv[tarballArg + 1] ?? '') : packPackage();

function row(app: string, footprint: InstallFootprint): string {
  const cells = [
    app,
    `+${footprint.addedPackages}`,
    `${(footprint.bytesBefore / MB).toFixed(0)} → ${(footprint.bytesAfter / MB).toFixed(0)} (+${(footprint.addedBytes / MB).toFixed(1)})`,
    footprint.addedInstallScripts.map((dir) => dir.replace(/^node_modules\//, '')).join(', ') || 'none',
    String(footprint.addedNativeFiles.length),
  ];
  return `| ${cells.join(' | ')} |`;
}

const vite = measureInstall({
  template: 'vite-app',
  // What `npm create vite` (vanilla-ts) installs.
  deps: { vite: repoVersion('vite'), typescript: repoVersion('typescript') },
  tarball,
});
const eager = buildViteApp(vite.app);
vite.app.dispose();
const node = measureInstall({ template: 'node-app', tarball });
node.app.dispose();
const nodeImages = measureInstall({ template: 'node-app', tarball, extra: [`sharp@${repoVersion('sharp')}`] });
nodeImages.app.dispose();

console.log(`tarball: ${tarball}\n`);
console.log('| app | packages added | node_modules MB (added) | install scripts added | native binaries added |');
console.log('|---|---|---|---|---|');
console.log(row('Vite vanilla-ts app', vite.footprint));
console.log(row('Node ESM project', node.footprint));
console.log(row('Node ESM project + sharp (image files)', nodeImages.footprint));
console.log(`\nREADME example in a Vite build: eager JS ${(eager.bytes / 1e3).toFixed(1)} kB, ${(eager.gzipBytes / 1e3).toFixed(1)} kB gzip (${eager.files.length} files)`);
