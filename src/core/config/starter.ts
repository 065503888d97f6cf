/**
 * The commented starter `maintenance-team.yaml` written by "Maintenance: Create configuration file".
 * Every value shown is the default (a unit test holds it to the schema), so the file changes nothing until
 * edited; it is a map of what can be tuned.
 */
export const STARTER_CONFIG = `# Maintenance Team configuration. Every value below is the default: edit what you want to change.
# Problems in this file show in the Problems panel; invalid values fall back to their defaults.

profile: default            # or strict: lower thresholds, JSDoc required; what this file says wins

team:
  complexity:
    enabled: true
    thresholds:
      cyclomatic: 20        # decision points per function
      nestingDepth: 4
      functionLength: 100   # lines
      fileLength: 1000      # lines
      parameterCount: 5
    # Rules can be turned off, or given another severity (error, warning, info, hint):
    rules:
      await-in-loop: true
    severity:
      cyclomatic: warning
  conventions:
    requireJsDoc: false     # report exported functions and classes without a /** JSDoc */ comment
  security:
    includeTests: false     # also look for hard-coded secrets in test files
  imports:
    enabled: true
  hygiene:
    enabled: true
  # Every agent also takes: maxRetries (2), timeoutSeconds (30), cacheEnabled (true).

global:
  # concurrency: 4          # files audited at once (default: one per CPU)
  include: []               # globs of files to audit (default: everything not ignored by .gitignore)
  exclude: []               # e.g. [dist, "**/*.generated.ts", test/fixtures]
  # Test files: function-length, await-in-loop and stub-function are off there, and secrets are not looked for
  # (unless security.includeTests). [] = no test files.
  tests: ["**/*.test.*", "**/*.spec.*", "**/__tests__/**", "**/__mocks__/**", "**/test/**", "**/tests/**",
          "**/fixtures/**", "**/__fixtures__/**", "**/test_*.py", "**/*_test.py", "**/conftest.py"]
  maxFileSizeKb: 1024       # larger files are skipped
  cache:
    ttlSeconds: 604800      # 7 days
    maxEntries: 20000
    maxSizeMb: 64
  circuitBreaker:
    failureThreshold: 5
    openTimeoutSeconds: 60
    maxOpenTimeoutSeconds: 300
  alerts:
    errorRate: 0.15         # 15 % of an agent's runs failing
    slowResponseMs: 1000    # average run of an agent on one file
    memoryMb: 500
  optimizations: true       # false = audit one file at a time, without cache (same findings)

# Settings for some paths only, on top of those above (later entries win; only what is written changes):
# overrides:
#   - files: ["src/generated/**"]
#     ignores: ["src/generated/keep.ts"]
#     team:
#       complexity: { enabled: false }
#   - files: ["**/*.spec.ts"]
#     team:
#       complexity: { thresholds: { nestingDepth: 6 } }
`;
