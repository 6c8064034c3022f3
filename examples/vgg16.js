// Runs the TypeScript example compiled by `npm install` (dist/examples/vgg16.js).
require('../dist/examples/vgg16.js');
