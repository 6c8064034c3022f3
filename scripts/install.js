#!/usr/bin/env node
'use strict';
// `npm install`: resolve LibTorch, then use the prebuilt addon that fits it (no compiler needed) or build one
// from source; in a checkout, compile the TypeScript layer too. TORCH_NODE_FROM_SOURCE=1 always builds.
const { buildNative, buildTypeScript } = require('./build');

try {
  buildNative();
  buildTypeScript();
} catch (err) {
  console.error(`torch-node: ${err.message}`);
  process.exit(1);
}
