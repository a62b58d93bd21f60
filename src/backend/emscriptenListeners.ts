/**
 * The wasm backend's emscripten module adds two process listeners when it starts:
 * `uncaughtException` and `unhandledRejection`, each rethrowing the error from inside its one-line
 * minified source. Any uncaught error after that makes Node print that whole line (~38 KB of
 * emscripten JavaScript) above the stack, and exit with 7 instead of 1. eigenflow starts the
 * backend through `withoutEmscriptenListeners`, which removes the rethrowing listeners added
 * while it ran, so errors print as Node prints them.
 */
type Event = 'uncaughtException' | 'unhandledRejection';
const EVENTS: Event[] = ['uncaughtException', 'unhandledRejection'];
// Node's typings give each event its own overload; these two take the same listener shape here.
const listenersOf = (event: Event): Function[] => process.listeners(event as 'uncaughtException');

export async function withoutEmscriptenListeners<T>(start: () => Promise<T>): Promise<T> {
  const before = new Map(EVENTS.map((e) => [e, listenersOf(e)]));
  try {
    return await start();
  } finally {
    for (const event of EVENTS) {
      for (const listener of listenersOf(event)) {
        if (!before.get(event)!.includes(listener) && /\bthrow\b/.test(String(listener))) process.removeListener(event, listener as never);
      }
    }
  }
}
