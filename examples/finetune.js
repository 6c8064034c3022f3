// Runs the TypeScript example compiled by `npm install` (dist/examples/finetune.js).
require('../dist/examples/finetune.js');
