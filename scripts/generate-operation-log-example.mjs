#!/usr/bin/env node
// npm run example:operation-log — writes examples/operation-log/operation-log.csv (CP932, CRLF), the
// made-up operation log of the README's import walkthrough, from its generator
// (libs/feed-import/src/example/operation-log.ts). A test checks that the file is its output.
import { EXAMPLE_LOG_OPTIONS, writeOperationLogCsv } from '../dist/libs/feed-import/src/index.js';

const file = 'examples/operation-log/operation-log.csv';
await writeOperationLogCsv(file, EXAMPLE_LOG_OPTIONS, 'cp932');
console.log(`wrote ${file}`);
