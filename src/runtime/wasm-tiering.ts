/**
 * Keeps WebAssembly on V8's baseline compiler (Liftoff). undici parses HTTP/1.1 with llhttp
 * compiled to WebAssembly; once its parser function is hot, V8 recompiles it with TurboFan on a
 * background thread, and that one compilation briefly takes 20–30 MB of native memory: the
 * process's peak resident set, reached seconds into the first load. The baseline code parses
 * somewhat slower; docs/performance.md gives what the benchmark measured.
 *
 * It must run before the first upstream connection: undici compiles the module then. The flag
 * is process-wide and only concerns WebAssembly.
 */
import { setFlagsFromString } from "node:v8";

let applied = false;

export function keepWasmOnBaselineTier(): void {
  if (applied) {
    return;
  }
  setFlagsFromString("--liftoff-only");
  applied = true;
}
