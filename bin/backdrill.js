#!/usr/bin/env node
// The published CLI runs the committed bundle (dist/cli.js), built by `npm run build` from src/cli.
import '../dist/cli.js';
