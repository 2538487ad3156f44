/**
 * The playground: edit a litmus test and check it in the browser with the
 * same library the command line uses (imported from dist/, no server). The
 * check runs in a Web Worker (site/src/playground/worker.js), so a long one
 * leaves the page responsive and can be stopped.
 *
 * The test checked is kept in the URL's fragment (site/src/playground/share.js),
 * so the address bar is always a link to it; the example menu shows which
 * example the editor holds, if any.
 */
import React, { useCallback, useEffect, useRef, useState } from 'react';
import Layout from '@theme/Layout';
import LiveDiagram from '../playground/LiveDiagram.jsx';
import { analyse, drawExecution, MAX_LISTED_EXECUTIONS } from '../playground/analyse.js';
import { fragmentOf, testOfFragment } from '../playground/share.js';
import { EXAMPLES, INITIAL } from '../generated/examples.js';

/** A worker that checks litmus tests, or null where the browser has none (then checks run on the page). */
function startWorker() {
  if (typeof Worker === 'undefined') return null;
  return new Worker(new URL('../playground/worker.js', import.meta.url));
}

function Verdict({ analysis }) {
  const { observation, sentence, outcomePhrase, flags, canHappen, axioms, explanation } = analysis;
  return (
    <div data-testid="results">
      <h2>
        Verdict: <span data-testid="verdict" className={`verdict verdict-${observation.toLowerCase()}`}>{observation}</span>
      </h2>
      <p data-testid="verdict-words">
        {sentence[0].toUpperCase()}{sentence.slice(1)}.
        {!canHappen && axioms.length > 0 ? ` Executions ${outcomePhrase} break ${axioms.join(', ')}.` : ''}
        {flags.length > 0 ? ` Flags: ${flags.join(', ')}.` : ''}
      </p>
      <h3>Why</h3>
      <pre data-testid="explanation" className="explanation">{explanation}</pre>
    </div>
  );
}

/** Every final state the model allows, each with its executions; any of them can be drawn. */
function States({ analysis, drawing, onDraw }) {
  const { states, allowed, listed } = analysis;
  return (
    <>
      <h3>Every allowed execution, by final state</h3>
      <p>
        {allowed} allowed execution{allowed === 1 ? '' : 's'}, {states.length} final state{states.length === 1 ? '' : 's'} (herd7's
        {' '}<code>States</code>); a tick marks the states the condition's proposition holds in.
        {listed ? ' Choose an execution to draw it.' : ` More than ${MAX_LISTED_EXECUTIONS} executions: the states only.`}
      </p>
      <table data-testid="states">
        <thead><tr><th>final state</th><th>proposition</th><th>executions</th></tr></thead>
        <tbody>
          {states.map((s) => (
            <tr key={s.text}>
              <td><code>{s.text}</code></td>
              <td>{s.satisfies ? '✓' : ''}</td>
              <td>
                {listed ? s.numbers.map((n) => (
                  <button key={n} type="button" data-testid="execution-button" aria-pressed={drawing?.n === n}
                    className={`button button--sm ${drawing?.n === n ? 'button--primary' : 'button--outline button--secondary'} execution-button`}
                    onClick={() => onDraw(n)}>#{n}</button>
                )) : s.executions}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {drawing && (
        <figure data-testid="execution-diagram">
          <figcaption><em>Allowed execution #{drawing.n}{drawing.state ? `, ending in ${drawing.state}` : ''}</em></figcaption>
          {drawing.error ? <pre className="error">{drawing.error}</pre> : drawing.diagram ? <LiveDiagram source={drawing.diagram} /> : <p>drawing…</p>}
        </figure>
      )}
    </>
  );
}

function Details({ analysis, drawing, onDraw }) {
  const { barriers, whatIf, diagrams, herd } = analysis;
  return (
    <div>
      <States analysis={analysis} drawing={drawing} onDraw={onDraw} />
      <h3>Diagrams</h3>
      {diagrams.length === 0 && <p>No candidate execution has the outcome: nothing to draw.</p>}
      {diagrams.map((d, i) => (
        <figure key={`${i}:${d.text.length}:${d.text.slice(-40)}`} data-testid="diagram">
          <figcaption><em>{d.caption}</em></figcaption>
          <LiveDiagram source={d.text} />
        </figure>
      ))}
      <h3>Barriers, each on its own CPU</h3>
      {barriers.length === 0 ? <p>No ordering primitives.</p> : (
        <table data-testid="barriers">
          <thead><tr><th>CPU</th><th>line</th><th>primitive</th><th>orders</th><th>pairs on its CPU</th><th>cumulativity</th></tr></thead>
          <tbody>
            {barriers.map((b) => (
              <tr key={`${b.thread}:${b.line}:${b.col}:${b.primitive}`}>
                <td>P{b.thread}</td><td>{b.line}</td><td><code>{b.primitive}</code></td><td>{b.rule}</td>
                <td>{b.orders.length ? b.orders.map((p, i) => <div key={i}>{`${p.before} (${p.beforeLine}) → ${p.after} (${p.afterLine})`}</div>) : b.ordersNothing ? <em>{b.ordersNothing}</em> : '—'}</td>
                <td>{b.cumulativity || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>What if</h3>
      {whatIf.length === 0 ? <p>Nothing to remove or change.</p> : (
        <table data-testid="whatif">
          <thead><tr><th>CPU</th><th>line</th><th>primitive</th><th>removed</th><th>alternatives</th><th>assessment</th></tr></thead>
          <tbody>
            {whatIf.map((c) => (
              <tr key={`${c.thread}:${c.line}:${c.col}:${c.primitive}`}>
                <td>P{c.thread}</td><td>{c.line}</td><td><code>{c.primitive}</code></td><td>{c.removed ?? '—'}</td>
                <td>{c.alternatives.map((a, i) => <div key={i}>{`${a.primitive}: ${a.observation}`}</div>)}</td>
                <td>{c.assessment}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>herd7-compatible output</h3>
      <pre data-testid="herd">{herd}</pre>
    </div>
  );
}

/** The state an execution ends in, as the table shows it. */
function stateOf(analysis, n) {
  const s = analysis.states.find((st) => st.numbers.includes(n));
  return s ? s.text : null;
}

export default function Playground() {
  const initial = EXAMPLES.find((e) => e.path === INITIAL);
  const [text, setText] = useState(initial.text);
  const [state, setState] = useState({ status: 'idle' });
  const [drawing, setDrawing] = useState(null);
  // The menu follows the editor: the example it holds, or none once edited.
  const example = EXAMPLES.find((e) => e.text === text)?.path ?? '';

  const worker = useRef(null);
  const request = useRef(0);
  /** The allowed executions of the last check, when it ran on the page (no worker). */
  const local = useRef([]);

  const onMessage = useCallback((event) => {
    const { id, ok, analysis, ms, message, draw, diagram } = event.data;
    if (id !== request.current) return; // an answer to a check since replaced
    if (draw !== undefined) {
      setDrawing((d) => (d && d.n === draw ? { ...d, ...(ok ? { diagram } : { error: message }) } : d));
      return;
    }
    setDrawing(null);
    setState(ok ? { status: 'done', analysis, ms } : { status: 'error', message });
  }, []);

  /** The worker, started on first use (never during the server-side build). */
  const checker = useCallback(() => {
    if (worker.current === null) {
      worker.current = startWorker();
      if (worker.current) worker.current.onmessage = onMessage;
    }
    return worker.current;
  }, [onMessage]);

  const stop = useCallback(() => {
    worker.current?.terminate();
    worker.current = null;
    request.current++;
    setState({ status: 'stopped' });
  }, []);

  const run = useCallback((source, { share = true } = {}) => {
    const id = ++request.current;
    // The address bar becomes a link to this test (replacing, not adding, a history entry).
    if (share && typeof window !== 'undefined') window.history.replaceState(null, '', fragmentOf(source));
    setState((s) => {
      // A check still under way is abandoned: end its worker rather than wait for it.
      if (s.status === 'running' && worker.current) {
        worker.current.terminate();
        worker.current = null;
      }
      return { status: 'running' };
    });
    setTimeout(() => {
      const w = checker();
      if (w) {
        w.postMessage({ id, text: source });
        return;
      }
      // No workers here: check on the page.
      const started = performance.now();
      try {
        const { analysis, executions } = analyse(source);
        local.current = executions;
        onMessage({ data: { id, ok: true, analysis, ms: Math.round(performance.now() - started) } });
      } catch (e) {
        onMessage({ data: { id, ok: false, message: e instanceof Error ? e.message : String(e) } });
      }
    }, 0);
  }, [checker, onMessage]);

  const draw = useCallback((n) => {
    const id = request.current;
    setDrawing(() => ({ n, state: state.status === 'done' ? stateOf(state.analysis, n) : null }));
    const w = worker.current;
    if (w) {
      w.postMessage({ id, draw: n });
      return;
    }
    try {
      onMessage({ data: { id, draw: n, ok: true, diagram: drawExecution(local.current, n) } });
    } catch (e) {
      onMessage({ data: { id, draw: n, ok: false, message: e instanceof Error ? e.message : String(e) } });
    }
  }, [onMessage, state]);

  // Start with the test a link carries, else the initial example; follow links opened later on this page.
  useEffect(() => {
    const load = () => {
      const shared = testOfFragment(window.location.hash);
      if (shared !== null) {
        setText(shared);
        run(shared, { share: false });
        return true;
      }
      return false;
    };
    if (!load()) run(initial.text, { share: false });
    window.addEventListener('hashchange', load);
    return () => window.removeEventListener('hashchange', load);
  }, [run, initial.text]);
  useEffect(() => () => worker.current?.terminate(), []);

  return (
    <Layout title="Playground" description="Check a litmus test under the Linux-kernel memory model, in your browser">
      <main className="container margin-vert--lg playground">
        <h1>Playground</h1>
        <p>
          Edit a litmus test and check it under the Linux-kernel memory model. Everything is computed in
          this page by barrier-lab's library; nothing is sent anywhere. It starts with the swiotlb v1
          scenario (<code>{INITIAL}</code>). The address bar always links to the test last checked: share it to
          share the test.
        </p>
        <div className="playground-grid">
          <div>
            <div className="controls">
              <label htmlFor="example">Example:</label>
              <select id="example" value={example} onChange={(e) => {
                const ex = EXAMPLES.find((x) => x.path === e.target.value);
                if (ex) { setText(ex.text); run(ex.text); }
              }}>
                {example === '' && <option value="">(your own test)</option>}
                {EXAMPLES.map((e) => <option key={e.path} value={e.path}>{e.path}</option>)}
              </select>
            </div>
            <textarea id="litmus-input" aria-label="Litmus test" spellCheck={false} wrap="off" value={text} onChange={(e) => setText(e.target.value)} />
            <div className="controls">
              <button id="check-button" className="button button--primary" type="button" onClick={() => run(text)}>Check</button>
              {state.status === 'running' && <button id="stop-button" className="button button--secondary" type="button" onClick={stop}>Stop</button>}
              <span data-testid="status">
                {state.status === 'running' ? 'checking…' : state.status === 'done' ? `checked in ${state.ms} ms` : state.status === 'error' ? 'error' : state.status === 'stopped' ? 'stopped' : ''}
              </span>
            </div>
          </div>
          <div>
            {state.status === 'error' && <pre className="error" data-testid="error">{state.message}</pre>}
            {state.status === 'done' && <Verdict analysis={state.analysis} />}
          </div>
        </div>
        {state.status === 'done' && <Details analysis={state.analysis} drawing={drawing} onDraw={draw} />}
      </main>
    </Layout>
  );
}
