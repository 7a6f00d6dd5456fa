// Placeholder for the main-job demo until the drill issue lands: says plainly what runs today.
console.log(
  'backdrill demo: not available yet. The demo (seed PostgreSQL/Neo4j/Qdrant, back up, verify, drill, report)\n' +
    'arrives with the restore-drill feature. What runs today: `npx backdrill --help` and `npm test`.',
);
