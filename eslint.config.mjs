import tseslint from 'typescript-eslint';
import prettierRecommended from 'eslint-plugin-prettier/recommended';

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'lib',
      'coverage',
      'jupyterlab_memlens',
      'python-kernel-helper',
      'ui-tests',
      'bench/out',
      '.venv',
      '**/*.d.ts',
      '**/*.generated.ts',
      '**/*.js',
      '*.mjs'
    ]
  },
  ...tseslint.configs.recommended,
  prettierRecommended,
  {
    files: ['src/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/naming-convention': [
        'error',
        {
          selector: 'interface',
          format: ['PascalCase'],
          custom: { regex: '^I[A-Z]', match: true }
        }
      ],
      '@typescript-eslint/no-unused-vars': ['warn', { args: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/no-use-before-define': 'off',
      curly: ['error', 'all'],
      eqeqeq: 'error',
      'prefer-arrow-callback': 'error'
    }
  },
  // The floor plan, enforced (docs/architecture.md). Each layer may import
  // the layers below it only: common <- analyzer <- worker, kernel <- model
  // <- features; tokens.ts imports types only. Import cycles are checked by
  // scripts/check-import-cycles.js (npm run lint:check).
  {
    files: ['src/analyzer/**/*.ts', 'src/cli/**/*.ts', 'src/cli.ts'],
    ignores: ['**/__tests__/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@jupyterlab/*', '@lumino/*', '@codemirror/*'],
              message:
                'The analyzer and the CLI run in node and in the worker: no JupyterLab, Lumino or CodeMirror.'
            },
            {
              group: [
                '**/model/**',
                '**/features/**',
                '**/kernel/**',
                '**/worker/**',
                '**/tokens',
                '**/common/i18n'
              ],
              message:
                'The analyzer imports only itself and the pure modules of common/.'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src/common/**/*.ts'],
    ignores: ['**/__tests__/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/analyzer/**',
                '**/model/**',
                '**/features/**',
                '**/kernel/**',
                '**/worker/**',
                '**/cli/**',
                '**/tokens'
              ],
              message:
                'common/ is the bottom layer: it imports no memlens folder.'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src/worker/**/*.ts', 'src/kernel/**/*.ts'],
    ignores: ['**/__tests__/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/model/**', '**/features/**', '**/cli/**'],
              message:
                'worker/ and kernel/ are below the models and the features.'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src/model/**/*.ts', 'src/tokens.ts'],
    ignores: ['**/__tests__/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/features/**', './features/*', '**/cli/**'],
              message: 'A model (or tokens.ts) imports no feature.'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src/tokens.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                './model/*',
                './model/**',
                './features/**',
                './worker/**'
              ],
              message:
                'tokens.ts owns the interfaces: implementations import it, never the other way round.'
            }
          ]
        }
      ]
    }
  }
);
