import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);

// src/errors.ts
var BackdrillError = class extends Error {
  kind;
  /** What the user can do about it, shown under the message. */
  hint;
  constructor(kind, message, options = {}) {
    super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
    this.name = "BackdrillError";
    this.kind = kind;
    this.hint = options.hint;
  }
};
var UsageError = class extends BackdrillError {
  constructor(message, hint) {
    super("usage", message, hint === void 0 ? {} : { hint });
    this.name = "UsageError";
  }
};
function isBackdrillError(err) {
  return err instanceof BackdrillError;
}

export {
  BackdrillError,
  UsageError,
  isBackdrillError
};
