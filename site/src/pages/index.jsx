import React from 'react';
import Link from '@docusaurus/Link';
import Layout from '@theme/Layout';

const SECTIONS = [
  { to: '/docs/barriers', title: 'Barriers, one at a time', text: 'What each kernel primitive orders, for whom, with a minimal test with and without it.' },
  { to: '/docs/model', title: 'Relations and axioms', text: 'po, rf, co, fr, ppo, hb, pb, rb and the axioms the explanations name.' },
  { to: '/docs/swiotlb', title: 'The swiotlb walkthrough', text: 'A 2023 kernel review about smp_wmb(), smp_rmb() and smp_mb(), replayed.' },
  { to: '/playground', title: 'Playground', text: 'Edit a litmus test and check it in your browser.' },
];

export default function Home() {
  return (
    <Layout title="barrier-lab" description="Linux-kernel memory barriers, explained and checked">
      <main className="container margin-vert--xl">
        <h1>barrier-lab</h1>
        <p>Linux-kernel memory barriers, one at a time, with every verdict computed by the Linux-kernel memory model from litmus tests in the repository.</p>
        <div className="row">
          {SECTIONS.map((s) => (
            <div key={s.to} className="col col--3 margin-bottom--lg">
              <Link to={s.to}><h3>{s.title}</h3></Link>
              <p>{s.text}</p>
            </div>
          ))}
        </div>
        <p><Link className="button button--primary" to="/docs">Start reading</Link></p>
      </main>
    </Layout>
  );
}
