import { formatLaneSummary, inBandOrder, planLanes, poolWorkers, summarizeLanes } from './lanes';
import type { LaneSpec } from './pragmas';

const parallel: LaneSpec = { lane: 'parallel' };
const serial: LaneSpec = { lane: 'serial' };
const db: LaneSpec = { lane: 'resources', resources: ['db'] };
const dbPort: LaneSpec = { lane: 'resources', resources: ['db', 'port-4100'] };

test('planLanes: @serial files go to the exclusive lane, the rest share the pool', () => {
  const plan = planLanes([
    { item: 'a', spec: parallel },
    { item: 'b', spec: serial },
    { item: 'c', spec: db },
  ]);
  expect(plan.pool.map((f) => f.item)).toEqual(['a', 'c']);
  expect(plan.exclusive.map((f) => f.item)).toEqual(['b']);
});

test('poolWorkers: as many workers as the pool lane can use, at least one for the serial lane', () => {
  const plan = (pool: number, exclusive: number) =>
    planLanes([
      ...Array.from({ length: pool }, (_, i) => ({ item: `p${i}`, spec: parallel })),
      ...Array.from({ length: exclusive }, (_, i) => ({ item: `s${i}`, spec: serial })),
    ]);
  expect(poolWorkers(plan(10, 5), 3)).toBe(3);
  expect(poolWorkers(plan(2, 40), 8)).toBe(2);
  expect(poolWorkers(plan(0, 4), 8)).toBe(1);
});

test('inBandOrder: parallel first, then resource groups, then @serial, each in Jest order', () => {
  const files = [
    { item: 's1', spec: serial },
    { item: 'g1', spec: db },
    { item: 'p1', spec: parallel },
    { item: 's2', spec: serial },
    { item: 'p2', spec: parallel },
  ];
  expect(inBandOrder(files).map((f) => f.item)).toEqual(['p1', 'p2', 'g1', 's1', 's2']);
});

test('the one-line summary counts lanes and files per resource', () => {
  const summary = summarizeLanes([parallel, parallel, serial, db, dbPort, db]);
  expect(summary).toEqual({
    parallel: 2,
    serial: 1,
    grouped: 3,
    resources: [
      ['db', 3],
      ['port-4100', 1],
    ],
  });
  expect(formatLaneSummary(summary)).toBe('flakeguard: 2 parallel · 1 serial · 3 in resource groups (db ×3, port-4100 ×1)');
  expect(formatLaneSummary(summarizeLanes([parallel]))).toBe('flakeguard: 1 parallel · 0 serial · 0 in resource groups');
});
