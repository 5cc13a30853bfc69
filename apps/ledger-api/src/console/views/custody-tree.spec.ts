import type { HoldingView, TransportView } from '@ledger/handling';
import { custodyTreeSvg, layoutTree } from './custody-tree.js';

function holding(copyId: string | null, from: string | null | undefined, state: HoldingView['state'] = 'held'): HoldingView {
  return {
    copyId, copiedFrom: from === undefined ? null : { copyId: from }, medium: 'electronic', state, location: state === 'held' ? 'DC-<1>' : null,
    holder: state === 'held' ? { org: 'contractor', workerId: 'W-1', carrierId: null } : null, since: '2026-09-10T09:00:00.000+09:00',
    from: null, to: null, transport: null, disposal: null, overdue: false, overdueReasons: [], history: [], historyCount: 0,
  } as HoldingView;
}

const leg = { transportId: 'T-1', copyId: 'C-2', state: 'in_transit', from: 'DC-2', to: 'CITY-HALL', carrierId: 'CARRIER-1', medium: 'electronic', safeguards: [],
  startedAt: '2026-09-28T10:00:00.000+09:00', expectedArrivalAt: null, dueAt: '2026-10-01T10:00:00.000+09:00', completedAt: null, receivedBy: null, overdue: true } as TransportView;

describe('the custody tree', () => {
  // Given the original, a copy of it and a copy of that copy (and a second copy of the original)
  const holdings = [holding(null, undefined), holding('C-1', null), holding('C-2', 'C-1', 'in_transit'), holding('C-3', null, 'disposed')];

  it('places each copy to the right of the holding it was copied from, one level per generation', () => {
    const { nodes, roots } = layoutTree(holdings, [leg]);
    expect(roots.map((r) => r.key)).toEqual(['original']);
    const at = Object.fromEntries(nodes.map((n) => [n.key, n]));
    expect([at.original!.depth, at['copy-C-1']!.depth, at['copy-C-2']!.depth, at['copy-C-3']!.depth]).toEqual([0, 1, 2, 1]);
    expect(at['copy-C-1']!.x).toBeGreaterThan(at.original!.x);
    expect(at['copy-C-2']!.x).toBeGreaterThan(at['copy-C-1']!.x);
    // The first child shares its parent's row; the next subtree starts below the previous one.
    expect(at['copy-C-1']!.y).toBe(at.original!.y);
    expect(at['copy-C-3']!.y).toBeGreaterThanOrEqual(at['copy-C-2']!.y + at['copy-C-2']!.height);
    expect(at['copy-C-2']!.legs.map((l) => l.transportId)).toEqual(['T-1']);
  });

  it('draws a node per holding and an edge per copy, with state, place and legs as text, escaped', () => {
    const svg = custodyTreeSvg(holdings, [leg], 'en', 'R-1').text;
    expect(svg.match(/<g class="node /g)).toHaveLength(4);
    expect(svg.match(/<path class="edge"/g)).toHaveLength(3);
    expect(svg).toContain('node-in_transit');
    expect(svg).toContain('⇢ T-1: DC-2 → CITY-HALL !');
    expect(svg).toContain('DC-&lt;1&gt;');
    expect(svg).not.toContain('DC-<1>');
    expect(svg).toMatch(/role="img" aria-labelledby="tree-title tree-desc"/);
  });
});
