/**
 * The playground's checker, off the page's main thread: a long check keeps
 * the page responsive, and the Stop button ends it by ending this worker.
 *
 * The library is loaded with a dynamic import: that gives this worker
 * webpack's chunk-loading runtime, which Docusaurus's runtime additions
 * (`__webpack_require__.gca`) expect to find in every bundle.
 */
const library = import('./analyse.js');

self.onmessage = async (event) => {
  const { id, text } = event.data;
  const { analyse } = await library;
  const started = performance.now();
  try {
    const analysis = analyse(text);
    self.postMessage({ id, ok: true, analysis, ms: Math.round(performance.now() - started) });
  } catch (e) {
    self.postMessage({ id, ok: false, message: e instanceof Error ? e.message : String(e) });
  }
};
