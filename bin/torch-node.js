#!/usr/bin/env node
'use strict';
require('../dist/cli/main.js')
  .main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(`torch-node: ${err && err.message ? err.message : err}`);
    process.exit(1);
  });
