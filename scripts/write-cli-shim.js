// The browser bundle needs lib/ as ES modules, node needs CommonJS: the CLI is
// compiled to lib/node/ (tsconfig.cli.json) and lib/cli.js forwards to it.
const fs = require('fs');
const path = require('path');

const shim = "#!/usr/bin/env node\n'use strict';\nrequire('./node/cli.js');\n";
const target = path.join(__dirname, '..', 'lib', 'cli.js');
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, shim, { mode: 0o755 });
