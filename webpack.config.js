// Bundle the tree-sitter runtime and grammar as separate static .wasm assets;
// they are loaded by URL at runtime (see src/analysis/parser-loader-browser.ts).
module.exports = {
  module: {
    rules: [{ test: /\.wasm$/, type: 'asset/resource' }]
  }
};
