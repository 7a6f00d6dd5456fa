import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);

// src/pipeline/wasm.ts
var compiled = /* @__PURE__ */ new Map();
function wasmInstance(base64) {
  let mod = compiled.get(base64);
  if (!mod) {
    mod = new WebAssembly.Module(Buffer.from(base64, "base64"));
    compiled.set(base64, mod);
  }
  return new WebAssembly.Instance(mod, {}).exports;
}

export {
  wasmInstance
};
