// Generates src/kernel/protocol.generated.ts from schema/protocol.schema.json,
// the one source of truth of the comm protocol (the Python tests validate
// every message against the same schema).
const fs = require('fs');
const path = require('path');
const { compile } = require('json-schema-to-typescript');

const root = path.join(__dirname, '..');
const schema = JSON.parse(
  fs.readFileSync(path.join(root, 'schema/protocol.schema.json'), 'utf8')
);
const target = path.join(root, 'src/kernel/protocol.generated.ts');

// Emit one named type per $defs entry (the top-level union `oneOf` is
// replaced by an object that references every definition).
const { oneOf, ...rest } = schema;
const wrapper = {
  ...rest,
  title: 'MemlensMessage',
  type: 'object',
  properties: Object.fromEntries(
    Object.keys(schema.$defs).map(name => [name, { $ref: `#/$defs/${name}` }])
  ),
  additionalProperties: false
};

compile(wrapper, 'MemlensMessage', {
  bannerComment:
    '/* Generated from schema/protocol.schema.json by scripts/build-protocol-types.js. Do not edit. */',
  additionalProperties: false,
  unreachableDefinitions: true,
  strictIndexSignatures: true,
  format: true,
  style: { singleQuote: true, trailingComma: 'none' }
})
  .then(ts => fs.writeFileSync(target, ts))
  .catch(error => {
    console.error(`protocol types: ${error.message}`);
    process.exit(1);
  });
