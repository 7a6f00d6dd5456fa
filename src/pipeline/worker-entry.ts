// Bundle entry of the pipeline worker (dist/pipeline-worker.js): just the sealing code, so each worker thread of
// a bundled CLI or action parses a few kilobytes instead of the whole program.
import './pool.ts';
