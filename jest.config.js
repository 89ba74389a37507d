/** Pure-unit jest config: analysis code and protocol helpers run in node. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testRegex: '/__tests__/.*\\.spec\\.ts$',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }]
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // specs of the panel run in jsdom (`@jest-environment jsdom`): see the file
  setupFiles: ['<rootDir>/src/__tests__/stubs/dom-polyfills.ts'],
  // ES-module-only packages jest cannot load: see the stub's comment.
  moduleNameMapper: {
    '^@jupyterlab/translation$': '<rootDir>/src/__tests__/stubs/translation.ts'
  },
  modulePathIgnorePatterns: [
    '<rootDir>/jupyterlab_memlens/labextension',
    '<rootDir>/lib',
    '<rootDir>/ui-tests'
  ],
  coverageReporters: ['text-summary'],
  collectCoverageFrom: [
    'src/**/*.ts',
    '!src/**/__tests__/**',
    '!src/**/*.generated.ts',
    // bundler-only (`import.meta`, `.wasm` URLs): CommonJS jest cannot load it
    '!src/worker/browser.ts'
  ]
};
