// Copies an embedded store into Neo4j:
//   node --import tsx graph/neo4j/exportCli.ts --db PATH [--batch N]
// Neo4j from NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD (default: the server `npm run neo4j` starts).
// Prints one line per committed batch and a JSON summary; safe to interrupt and run again.
import { parseArgs } from 'node:util';
import { openSqliteStore } from '../sqlite/store.js';
import { exportToNeo4j } from './export.js';
import { openNeo4jStore } from './store.js';

const { values } = parseArgs({ options: { db: { type: 'string' }, batch: { type: 'string' } } });
if (!values.db) {
  console.error('usage: exportCli.ts --db PATH [--batch N]');
  process.exit(2);
}
const source = await openSqliteStore(values.db);
try {
  const target = await openNeo4jStore();
  try {
    const result = await exportToNeo4j(source, target, {
      batchSize: values.batch ? Number(values.batch) : undefined,
      onBatch: (p) => console.log(`batch ${p.batch}: ${p.messages} messages (${p.inserted} new)`),
    });
    console.log(JSON.stringify(result));
  } finally {
    await target.close();
  }
} finally {
  await source.close();
}
