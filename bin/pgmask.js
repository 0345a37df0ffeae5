#!/usr/bin/env node
// The built CLI lives in dist/ (npm ci builds it through the prepare script).
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2));
