#!/usr/bin/env node
// npm run generate:client — regenerates libs/client/src/generated/ledger-types.ts from the event
// catalogue and the answer types (libs/client/codegen/generate-client-types.ts); --check only
// tells whether the file is current (exit 1 when stale).
import { main } from '../dist/libs/client/codegen/generate-client-types.js';

process.exit(main(process.argv.slice(2)));
