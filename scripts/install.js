#!/usr/bin/env node
'use strict';
// `npm install`: build the addon from source (resolving LibTorch first), then the TypeScript layer when
// this is a checkout rather than a published package.
const { buildNative, buildTypeScript } = require('./build');

try {
  buildNative();
  buildTypeScript();
} catch (err) {
  console.error(`torch-node: ${err.message}`);
  process.exit(1);
}
