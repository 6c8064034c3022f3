// Runs the TypeScript example compiled by `npm install` (dist/examples/feature_extraction.js).
require('../dist/examples/feature_extraction.js');
