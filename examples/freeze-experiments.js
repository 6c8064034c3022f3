// Runs the TypeScript example compiled by `npm install` (dist/examples/freeze_experiments.js).
require('../dist/examples/freeze_experiments.js');
