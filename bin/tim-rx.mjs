#!/usr/bin/env node
// The `tim-rx` command: the compiled CLI (npm install builds dist/esm).
import '../dist/esm/cli/main.js';
