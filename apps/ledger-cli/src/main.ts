#!/usr/bin/env node
import 'reflect-metadata';
import { runCli } from './cli.js';

runCli(process.argv.slice(2), { out: process.stdout, err: process.stderr }).then((code) => process.exit(code));
