#!/usr/bin/env node
'use strict';
// Before tests and benchmarks: rebuild the addon if its sources changed (or no prebuild fits them), and
// recompile the TypeScript.
const { buildNative, buildTypeScript, nativeIsStale } = require('./build');

try {
  if (nativeIsStale()) buildNative();
  buildTypeScript();
} catch (err) {
  console.error(`torch-node: ${err.message}`);
  process.exit(1);
}
