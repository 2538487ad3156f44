/**
 * The playground's checker, off the page's main thread: a long check keeps
 * the page responsive, and the Stop button ends it by ending this worker.
 * It keeps the allowed executions of its last check, so that the page can
 * ask for any of them to be drawn (`{ id, draw: n }`).
 *
 * The library is loaded with a dynamic import: that gives this worker
 * webpack's chunk-loading runtime, which Docusaurus's runtime additions
 * (`__webpack_require__.gca`) expect to find in every bundle.
 */
const library = import('./analyse.js');

let last = { id: -1, executions: [] };

self.onmessage = async (event) => {
  const { id, text, draw } = event.data;
  const { analyse, drawExecution } = await library;
  if (draw !== undefined) {
    try {
      if (id !== last.id) throw new Error('the test has changed since: check it again');
      self.postMessage({ id, draw, ok: true, diagram: drawExecution(last.executions, draw) });
    } catch (e) {
      self.postMessage({ id, draw, ok: false, message: e instanceof Error ? e.message : String(e) });
    }
    return;
  }
  const started = performance.now();
  try {
    const { analysis, executions } = analyse(text);
    last = { id, executions };
    self.postMessage({ id, ok: true, analysis, ms: Math.round(performance.now() - started) });
  } catch (e) {
    self.postMessage({ id, ok: false, message: e instanceof Error ? e.message : String(e) });
  }
};
