/**
 * Jest runs the TypeScript tests through ts-jest, transpile-only (isolatedModules): tsc already
 * type-checks everything in `npm run build`, so tests need not pay for it again.
 * CommonJS here because package.json is "type": "module" and jest's ESM mode is experimental.
 * @type {import('jest').Config}
 */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'cjs', 'json'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        // Overrides on top of tsconfig.json. "Bundler" resolution is only valid with ES modules.
        tsconfig: { module: 'commonjs', moduleResolution: 'node10', isolatedModules: true },
      },
    ],
  },
  // Build outputs (and any scratch builds) are not test sources.
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/out/'],
};
