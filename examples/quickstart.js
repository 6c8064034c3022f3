// Runs the TypeScript example compiled by `npm install` (dist/examples/quickstart.js).
require('../dist/examples/quickstart.js');
