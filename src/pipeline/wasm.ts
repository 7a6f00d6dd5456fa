// Instances of the project's WebAssembly modules (the .wat sources, compiled by scripts/build-wasm.mjs into base64
// in a .ts module of their own), each module compiled once per thread.

// The project's lib settings carry no WebAssembly types (they come with the DOM lib): the little used here.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
};

const compiled = new Map<string, object>();

/** A new instance (memory of its own) of the module whose binary is `base64`; `T` describes its exports. */
export function wasmInstance<T>(base64: string): T {
  let mod = compiled.get(base64);
  if (!mod) {
    mod = new WebAssembly.Module(Buffer.from(base64, 'base64'));
    compiled.set(base64, mod);
  }
  return new WebAssembly.Instance(mod, {}).exports as T;
}
