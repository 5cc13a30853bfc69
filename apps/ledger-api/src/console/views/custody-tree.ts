/**
 * A record's chain of custody as a picture: the original at the left, each copy to the right of
 * the holding it was copied from (copies of copies further right), each node with its state,
 * location, holder, since when, and its transport legs. Pure SVG, styled by classes (the CSP allows
 * no inline style), with a title and a description; the page gives the same facts as a table.
 */
import type { HoldingView, TransportView } from '@ledger/handling';
import { html, type Html } from '../html.js';
import { formatDay, holdingStateLabel, t, type Lang } from '../i18n.js';

const NODE_W = 224;
const GAP_X = 40;
const GAP_Y = 18;
const LINE = 17;
const PAD = 10;
const MAX_LEGS = 3;
/** Text width a node holds, in units of a Latin character at 12px (a CJK character counts about two). */
const MAX_UNITS = 33;

export interface TreeNode {
  holding: HoldingView;
  key: string;
  depth: number;
  children: TreeNode[];
  legs: TransportView[];
  x: number;
  y: number;
  height: number;
}

export function holdingKeyOf(copyId: string | null): string {
  return copyId === null ? 'original' : `copy-${copyId}`;
}

function units(char: string): number {
  return /[\u3000-\u9fff\uff00-\uffef]/.test(char) ? 1.9 : 1;
}

function clip(text: string): string {
  let used = 0;
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    used += units(chars[i]!);
    if (used > MAX_UNITS) return `${chars.slice(0, i - 1).join('')}…`;
  }
  return text;
}

function holderText(holding: HoldingView): string {
  const h = holding.holder;
  if (!h) return '—';
  return [h.org, h.workerId, h.carrierId].filter((p): p is string => p !== null && p !== undefined).join(' / ') || '—';
}

function linesOf(node: TreeNode, lang: Lang): string[] {
  const h = node.holding;
  const where = h.state === 'in_transit' && h.from && h.to ? `${h.from} → ${h.to}` : (h.location ?? '—');
  const lines = [
    `${t(lang, 'state')}: ${holdingStateLabel(h.state, lang)}${h.overdue ? ` (${t(lang, 'overdue')})` : ''}`,
    `${t(lang, 'location')}: ${where}`,
    `${t(lang, 'holder')}: ${holderText(h)}`,
    `${t(lang, 'since')}: ${formatDay(h.since, lang)}`,
  ];
  for (const leg of node.legs.slice(0, MAX_LEGS)) {
    lines.push(`⇢ ${leg.transportId}: ${leg.from} → ${leg.to}${leg.state === 'completed' ? ' ✓' : leg.overdue ? ' !' : ''}`);
  }
  if (node.legs.length > MAX_LEGS) lines.push(`⇢ +${node.legs.length - MAX_LEGS}`);
  return lines.map(clip);
}

/** Places the holdings: parents before children, each subtree on its own rows. */
export function layoutTree(holdings: readonly HoldingView[], transports: readonly TransportView[]): { roots: TreeNode[]; nodes: TreeNode[]; width: number; height: number } {
  const nodes = new Map<string, TreeNode>();
  for (const holding of holdings) {
    const key = holdingKeyOf(holding.copyId);
    nodes.set(key, { holding, key, depth: 0, children: [], legs: transports.filter((l) => l.copyId === holding.copyId), x: 0, y: 0, height: 0 });
  }
  const roots: TreeNode[] = [];
  for (const node of nodes.values()) {
    const parentKey = node.holding.copiedFrom ? holdingKeyOf(node.holding.copiedFrom.copyId) : null;
    const parent = parentKey !== null && parentKey !== node.key ? nodes.get(parentKey) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  let y = PAD;
  let maxDepth = 0;
  const ordered: TreeNode[] = [];
  // Pre-order: a node starts on the current row, its first child on the same row to its right;
  // the next row starts below whichever is lower, the node or its subtree.
  const place = (node: TreeNode, depth: number, seen: Set<string>): void => {
    if (seen.has(node.key)) return;
    seen.add(node.key);
    node.depth = depth;
    maxDepth = Math.max(maxDepth, depth);
    node.height = PAD * 2 + LINE * (1 + 4 + Math.min(node.legs.length, MAX_LEGS) + (node.legs.length > MAX_LEGS ? 1 : 0));
    node.x = PAD + depth * (NODE_W + GAP_X);
    node.y = y;
    ordered.push(node);
    const start = y;
    for (const child of node.children.sort((a, b) => (a.key < b.key ? -1 : 1))) place(child, depth + 1, seen);
    y = Math.max(y, start + node.height + GAP_Y);
  };
  const seen = new Set<string>();
  for (const root of roots.sort((a, b) => (a.key === 'original' ? -1 : b.key === 'original' ? 1 : a.key < b.key ? -1 : 1))) place(root, 0, seen);
  return { roots, nodes: ordered, width: PAD * 2 + (maxDepth + 1) * NODE_W + maxDepth * GAP_X, height: Math.max(y, PAD * 2 + 40) };
}

export function custodyTreeSvg(holdings: readonly HoldingView[], transports: readonly TransportView[], lang: Lang, recordId: string): Html {
  const { nodes, width, height } = layoutTree(holdings, transports);
  const edges = nodes.flatMap((parent) =>
    parent.children.map((child) => {
      const x1 = parent.x + NODE_W;
      const y1 = parent.y + 24;
      const x2 = child.x;
      const y2 = child.y + 24;
      const mid = x1 + GAP_X / 2;
      return html`<path class="edge" d="M${x1} ${y1} H${mid} V${y2} H${x2 - 4}" marker-end="url(#arrow)"/>`;
    }),
  );
  const boxes = nodes.map((node) => {
    const h = node.holding;
    const name = h.copyId === null ? t(lang, 'original') : `${t(lang, 'copy')} ${h.copyId}`;
    const lines = linesOf(node, lang);
    return html`<g class="node node-${h.state}${h.overdue ? ' node-overdue' : ''}" data-holding="${node.key}">
  <rect x="${node.x}" y="${node.y}" width="${NODE_W}" height="${node.height}" rx="6"/>
  <text x="${node.x + PAD}" y="${node.y + PAD + 12}" class="node-title">${name}</text>
  ${lines.map((line, i) => html`<text x="${node.x + PAD}" y="${node.y + PAD + 12 + LINE * (i + 1)}" class="${i >= 4 ? 'node-leg' : 'node-line'}">${line}</text>`)}
</g>`;
  });
  const description = nodes
    .map((n) => `${n.holding.copyId ?? t(lang, 'original')}: ${holdingStateLabel(n.holding.state, lang)}${n.holding.copiedFrom ? ` ← ${n.holding.copiedFrom.copyId ?? t(lang, 'original')}` : ''}`)
    .join('; ');
  return html`<svg class="custody-tree" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="tree-title tree-desc">
<title id="tree-title">${t(lang, 'custodyTree')}: ${recordId}</title>
<desc id="tree-desc">${description}</desc>
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" class="arrow-head"/></marker></defs>
${edges}
${boxes}
</svg>`;
}
