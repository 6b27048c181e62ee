#!/usr/bin/env node
// The `tim-rx` command: the compiled CLI (npm install builds dist/).
import '../dist/cli/main.js';
