// Bundle the tree-sitter runtime and grammar as separate static .wasm assets;
// they are loaded by URL at runtime, in the analysis worker (or on the main
// thread when the worker cannot start): see src/worker/browser.ts.
module.exports = {
  module: {
    rules: [{ test: /\.wasm$/, type: 'asset/resource' }]
  }
};
