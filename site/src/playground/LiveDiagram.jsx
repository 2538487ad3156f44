/**
 * A diagram of the playground, drawn in the reader's browser from the
 * Mermaid source the library produced for the test just checked. Mermaid
 * (and the ELK layout, only for a source that asks for it) is loaded the
 * first time a diagram is drawn, so no other page pays for it. Drawn with
 * the site's settings for the current colour theme (dist/mermaid/config.js)
 * and finished like the build's diagrams (dist/mermaid/finish.js): natural
 * size in a sideways-scrolling box, labels recoloured where too faint.
 */
import React, { useEffect, useRef, useState } from 'react';
import { useColorMode } from '@docusaurus/theme-common';
import { mermaidConfig, themeSource, THEME_BACKGROUND } from '../../../dist/mermaid/config.js';
import { finishSvg } from '../../../dist/mermaid/finish.js';

let mermaidModule = null;
let elkRegistered = null;

/** Mermaid, imported once; with the ELK layout registered when `elk` is set. */
async function loadMermaid(elk) {
  mermaidModule ??= import('mermaid').then((m) => m.default);
  const mermaid = await mermaidModule;
  if (elk) {
    // The package exports only an 'import' condition, which the server-side bundle does not use: name the file.
    elkRegistered ??= import('@mermaid-js/layout-elk/dist/mermaid-layout-elk.core.mjs').then((m) => mermaid.registerLayoutLoaders(m.default));
    await elkRegistered;
  }
  return mermaid;
}

let drawn = 0;

export default function LiveDiagram({ source }) {
  const { colorMode } = useColorMode();
  const host = useRef(null);
  const [error, setError] = useState(null);

  useEffect(() => {
    let cancelled = false;
    setError(null);
    (async () => {
      const theme = colorMode === 'dark' ? 'dark' : 'light';
      const mermaid = await loadMermaid(/^\s*layout:\s*elk\b/m.test(source));
      mermaid.initialize(mermaidConfig(theme));
      const { svg } = await mermaid.render(`playground-diagram-${++drawn}`, themeSource(source, theme));
      if (cancelled || !host.current) return;
      host.current.innerHTML = svg;
      const el = host.current.querySelector('svg');
      if (el) finishSvg(el, { background: THEME_BACKGROUND[theme], canonical: false });
    })().catch((e) => {
      if (!cancelled) setError(e instanceof Error ? e.message : String(e));
    });
    return () => {
      cancelled = true;
    };
  }, [source, colorMode]);

  return (
    <>
      <div className="diagram-scroll playground-diagram" ref={host} role="region" tabIndex={0} aria-label="Diagram; scrolls sideways when wider than the page" />
      {error && <pre className="error">{error}</pre>}
    </>
  );
}
