#!/usr/bin/env node
// Fails (exit 1) when the TypeScript sources under src/ import each other in
// a cycle. Every relative import counts, `import type` and `export ... from`
// included: a cycle of types is still two files that cannot be read (or
// moved) one without the other. Tests (__tests__/) are left out. Run by
// `npm run lint:check` (and so by `make test`).
'use strict';

const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', 'src');

function sources(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__tests__') {
        sources(file, out);
      }
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      out.push(file);
    }
  }
  return out;
}

// import ... from '...', export ... from '...', import '...', import('...')
const IMPORT =
  /(?:^|[^\w.])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function resolve(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base + '.ts', path.join(base, 'index.ts'), base]) {
    if (candidate.endsWith('.ts') && fs.existsSync(candidate)) {
      return candidate;
    }
  }
  return null;
}

function graph(files) {
  const edges = new Map();
  for (const file of files) {
    const text = fs
      .readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    const targets = new Set();
    for (const match of text.matchAll(IMPORT)) {
      const target = resolve(file, match[1] ?? match[2]);
      if (target) {
        targets.add(target);
      }
    }
    edges.set(file, [...targets]);
  }
  return edges;
}

/** Strongly connected components with more than one file (Tarjan). */
function cycles(edges) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = start => {
    // iterative, so that deep import chains do not overflow the stack
    const work = [[start, 0]];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [node, at] = frame;
      const next = edges.get(node) ?? [];
      if (at < next.length) {
        frame[1]++;
        const target = next[at];
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push([target, 0]);
        } else if (onStack.has(target)) {
          low.set(node, Math.min(low.get(node), index.get(target)));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(node)));
      }
      if (low.get(node) === index.get(node)) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        if (component.length > 1 || (edges.get(node) ?? []).includes(node)) {
          found.push(component);
        }
      }
    }
  };
  for (const node of edges.keys()) {
    if (!index.has(node)) {
      visit(node);
    }
  }
  return found;
}

const edges = graph(sources(root));
const found = cycles(edges);
const rel = file => path.relative(path.dirname(root), file);
if (found.length > 0) {
  console.error(`import cycles in src/ (${found.length}):`);
  for (const component of found) {
    const members = new Set(component);
    console.error(`- ${component.length} files:`);
    for (const file of component.sort()) {
      const inside = edges.get(file).filter(target => members.has(target));
      console.error(`    ${rel(file)} -> ${inside.map(rel).join(', ')}`);
    }
  }
  process.exit(1);
}
console.log(`import cycles: none (${edges.size} files under src/)`);
