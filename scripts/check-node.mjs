// Fails early when the suite would run on a Node older than the one GitHub runs actions on (node24).
// npm puts node_modules/.bin first on PATH, so the pinned `node@24` package is the node that runs here.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `backdrill: this suite runs on Node 24 (GitHub runs actions on node24) but got ${process.version}.\n` +
      'Run it through npm (npm test / npm run ...) so the pinned node@24 from node_modules/.bin is used, ' +
      'or run `npm ci` first if node_modules is missing.',
  );
  process.exit(1);
}
