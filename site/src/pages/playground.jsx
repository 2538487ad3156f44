/**
 * The playground: edit a litmus test and check it in the browser with the
 * same library the command line uses (imported from dist/, no server).
 */
import React, { useCallback, useEffect, useState } from 'react';
import Layout from '@theme/Layout';
import Mermaid from '@theme/Mermaid';
import {
  parseLitmus, check, explainOutcome, explanationText, barrierReports, counterfactuals,
  executionFlowchart, witnessSequence, herdText, verdictWords,
} from '../../../dist/index.js';
import { EXAMPLES, INITIAL } from '../generated/examples.js';

function analyse(text) {
  const test = parseLitmus(text, 'playground.litmus');
  const result = check(test);
  const ex = explainOutcome(test);
  const barriers = barrierReports(test);
  const cf = counterfactuals(test, { reports: barriers });
  const diagrams = [];
  if (ex.witness) {
    diagrams.push({ caption: 'An allowed execution with the outcome', text: executionFlowchart(ex.witness.execution) });
    diagrams.push({ caption: 'The same execution as a sequence diagram', text: witnessSequence(ex.witness.execution) });
  } else if (ex.forbidden[0]) {
    const f = ex.forbidden[0];
    diagrams.push({ caption: `A forbidden execution with the outcome: the ${f.violation.axiom.name} cycle in red`, text: executionFlowchart(f.execution, { highlight: f.violation.edges }) });
  }
  return { result, ex, barriers, cf, diagrams, herd: herdText(result), axioms: [...new Set(ex.forbidden.map((f) => f.violation.axiom.name))] };
}

function Verdict({ analysis }) {
  const { result, ex, axioms } = analysis;
  return (
    <div data-testid="results">
      <h2>
        Verdict: <span data-testid="verdict" className={`verdict verdict-${result.observation.toLowerCase()}`}>{result.observation}</span>
      </h2>
      <p data-testid="verdict-words">
        The outcome <code>{ex.outcome}</code> {ex.witness ? 'can happen' : 'cannot happen'}: {verdictWords(result)}.
        {!ex.witness && axioms.length > 0 ? ` Executions with it break ${axioms.join(', ')}.` : ''}
        {result.flags.length > 0 ? ` Flags: ${result.flags.join(', ')}.` : ''}
      </p>
      <h3>Why</h3>
      <pre data-testid="explanation" className="explanation">{explanationText(ex)}</pre>
    </div>
  );
}

function Details({ analysis }) {
  const { barriers, cf, diagrams, herd } = analysis;
  return (
    <div>
      <h3>Diagrams</h3>
      {diagrams.length === 0 && <p>No candidate execution has the outcome: nothing to draw.</p>}
      {diagrams.map((d, i) => (
        <figure key={`${i}:${d.text.length}:${d.text.slice(-40)}`} data-testid="diagram">
          <figcaption><em>{d.caption}</em></figcaption>
          <Mermaid value={d.text} />
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
                <td>{b.orders.length ? b.orders.map((p, i) => <div key={i}>{`${p.before} (${p.beforeLine}) → ${p.after} (${p.afterLine})`}</div>) : <em>{b.ordersNothing}</em>}</td>
                <td>{b.cumulativity}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>What if</h3>
      {cf.primitives.length === 0 ? <p>Nothing to remove or change.</p> : (
        <table data-testid="whatif">
          <thead><tr><th>CPU</th><th>line</th><th>primitive</th><th>removed</th><th>alternatives</th><th>assessment</th></tr></thead>
          <tbody>
            {cf.primitives.map((c) => (
              <tr key={`${c.thread}:${c.line}:${c.col}:${c.primitive}`}>
                <td>P{c.thread}</td><td>{c.line}</td><td><code>{c.primitive}</code></td><td>{c.removed ? c.removed.observation : '—'}</td>
                <td>{c.alternatives.map((a, i) => <div key={i}>{`${a.primitive}: ${a.verdict.observation}`}</div>)}</td>
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

export default function Playground() {
  const initial = EXAMPLES.find((e) => e.path === INITIAL);
  const [example, setExample] = useState(INITIAL);
  const [text, setText] = useState(initial.text);
  const [state, setState] = useState({ status: 'idle' });

  const run = useCallback((source) => {
    setState({ status: 'running' });
    // Let the browser paint "checking" before the (synchronous) check.
    setTimeout(() => {
      const started = performance.now();
      try {
        const analysis = analyse(source);
        setState({ status: 'done', analysis, ms: Math.round(performance.now() - started) });
      } catch (e) {
        setState({ status: 'error', message: e instanceof Error ? e.message : String(e) });
      }
    }, 0);
  }, []);

  useEffect(() => { run(initial.text); }, [run, initial.text]);

  return (
    <Layout title="Playground" description="Check a litmus test under the Linux-kernel memory model, in your browser">
      <main className="container margin-vert--lg playground">
        <h1>Playground</h1>
        <p>
          Edit a litmus test and check it under the Linux-kernel memory model. Everything is computed in
          this page by barrier-lab's library; nothing is sent anywhere. It starts with the swiotlb v1
          scenario (<code>{INITIAL}</code>).
        </p>
        <div className="playground-grid">
          <div>
            <div className="controls">
              <label htmlFor="example">Example:</label>
              <select id="example" value={example} onChange={(e) => {
                const ex = EXAMPLES.find((x) => x.path === e.target.value);
                setExample(e.target.value);
                if (ex) { setText(ex.text); run(ex.text); }
              }}>
                {EXAMPLES.map((e) => <option key={e.path} value={e.path}>{e.path}</option>)}
              </select>
            </div>
            <textarea id="litmus-input" aria-label="Litmus test" spellCheck={false} wrap="off" value={text} onChange={(e) => setText(e.target.value)} />
            <div className="controls">
              <button id="check-button" className="button button--primary" type="button" onClick={() => run(text)}>Check</button>
              <span data-testid="status">
                {state.status === 'running' ? 'checking…' : state.status === 'done' ? `checked in ${state.ms} ms` : state.status === 'error' ? 'error' : ''}
              </span>
            </div>
          </div>
          <div>
            {state.status === 'error' && <pre className="error" data-testid="error">{state.message}</pre>}
            {state.status === 'done' && <Verdict analysis={state.analysis} />}
          </div>
        </div>
        {state.status === 'done' && <Details analysis={state.analysis} />}
      </main>
    </Layout>
  );
}
