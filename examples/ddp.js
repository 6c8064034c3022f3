// Runs the TypeScript example compiled by `npm install` (dist/examples/ddp.js).
require('../dist/examples/ddp.js');
