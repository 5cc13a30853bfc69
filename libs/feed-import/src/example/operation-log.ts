/**
 * A made-up operation log (操作ログ) as a contractor's tools export it: Japanese headers, 和暦 dates
 * on the rows transcribed from paper, coded values (「複写」「電子」「紙」), a free-text remarks column
 * the mapping leaves out. No real person is in it: records, workers and staff are pseudonymous IDs
 * of the demo contract (test/generators/demo-contract.ts: workers W-001…W-008, the subcontractor
 * SUB-DATAENTRY's SW-001, city staff S-010 and S-011). Every record is collected, used, maybe
 * copied, carried or provided, and returned or disposed of within the contract's term; one copy of
 * a 要介護認定 record is made without an authorization (Article 9), for the walkthrough to find.
 *
 * The shipped file examples/operation-log/operation-log.csv (CP932) is this generator's output
 * (scripts/generate-operation-log-example.mjs; a test keeps them equal); the benchmark writes a
 * million rows of it.
 */

export const OPERATION_LOG_HEADER = [
  'ログ番号', '操作日時', '操作種別', '記録番号', '所属区分', '担当者ID', '利用目的', '情報区分', '媒体', '個人番号の有無', '人数',
  '保管場所', '複写番号', '複写元番号', '提供先', '搬送番号', '搬送元', '搬送先', '運搬者', '安全措置', '受領者', '廃棄方法',
  '立会者', '証明書番号', '備考',
] as const;

type Column = (typeof OPERATION_LOG_HEADER)[number];
type Row = Partial<Record<Column, string>>;

export interface OperationLogOptions {
  /** Records (each gives about 6 rows). */
  records: number;
  seed?: number;
  /** The first record's number: R-<first>, R-<first+1> … (default 300001). */
  firstRecord?: number;
  /** Sort the rows by time, as one log of every record (the shipped example); otherwise record by record (streams any size). */
  sortByTime?: boolean;
  /** The first record's collection, JST (default 2025-06-02T09:00). */
  start?: string;
  /** Minutes between two records' collections (default: spread over ten months for small logs). */
  spacingMinutes?: number;
  /** Prefix of the log numbers (the rows' identity; default OPL): another log of the same contract needs another. */
  logPrefix?: string;
}

/** The shipped example: 40 records in time order. */
export const EXAMPLE_LOG_OPTIONS: OperationLogOptions = { records: 40, seed: 2025, sortByTime: true };

/** The record whose copy breaks Article 9 in the shipped example. */
export const EXAMPLE_VIOLATION = { recordId: 'R-300007', rule: 'art9.copy-without-authorization' } as const;

const CATEGORIES = ['被保険者台帳', '要介護認定', '給付実績', '保険料賦課', '住所地特例', '負担限度額認定'];
const PURPOSES = ['介護保険システム再構築', '介護保険システム運用保守'];
const LOCATIONS = ['DC-OKAYAMA-1', 'DC-OKAYAMA-2'];
const WORKERS = ['W-001', 'W-002', 'W-003', 'W-004', 'W-005', 'W-006', 'W-007', 'W-008'];
const REMARKS = ['', '', '', '', '定期処理', '窓口受付分①', '髙松支所からの移管分', '再発行対応', '月次集計', '紙台帳から転記\n（原本は市へ返却予定）'];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const JST = 9 * HOUR;

/** Seeded, so that the same options give the same file on every machine. */
class Random {
  constructor(private state: number) {}
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** The rows, header first, as arrays of cells. */
export function* operationLogRows(options: OperationLogOptions): Generator<string[]> {
  yield [...OPERATION_LOG_HEADER];
  const random = new Random(options.seed ?? 2025);
  const first = options.firstRecord ?? 300_001;
  const start = Date.parse(`${options.start ?? '2025-06-02T09:00:00'}+09:00`);
  // Ten months for the example's few records; a fixed pace for large logs.
  const spacing = (options.spacingMinutes ?? Math.max(1, Math.floor((300 * 24 * 60) / Math.max(options.records, 1)))) * MINUTE;
  let sequence = 0;
  const toCells = (row: Row, at: number): string[] => {
    sequence++;
    const cells: Row = { ...row, ログ番号: `${options.logPrefix ?? 'OPL'}-${String(sequence).padStart(7, '0')}`, 操作日時: formatTime(at, row.媒体 === '紙') };
    return OPERATION_LOG_HEADER.map((c) => cells[c] ?? '');
  };
  if (options.sortByTime) {
    const all: Array<[number, Row]> = [];
    for (let i = 0; i < options.records; i++) all.push(...recordLifecycle(random, first + i, start + i * spacing));
    all.sort((a, b) => a[0] - b[0]);
    for (const [at, row] of all) yield toCells(row, at);
    return;
  }
  for (let i = 0; i < options.records; i++) {
    for (const [at, row] of recordLifecycle(random, first + i, start + i * spacing)) yield toCells(row, at);
  }
}

/** One record from collection to return or disposal, as timed rows. */
function recordLifecycle(random: Random, number: number, collectedAt: number): Array<[number, Row]> {
  const recordId = `R-${number}`;
  const planted = recordId === EXAMPLE_VIOLATION.recordId;
  const category = planted ? '要介護認定' : random.pick(CATEGORIES);
  const paper = category === '被保険者台帳' && random.chance(0.5);
  const medium = paper ? '紙' : '電子';
  const home = random.pick(LOCATIONS);
  const worker = random.pick(WORKERS);
  const rows: Array<[number, Row]> = [];
  let t = businessHours(collectedAt);
  const later = (minHours: number, maxHours: number): number => (t = businessHours(t + random.int(minHours * 60, maxHours * 60) * MINUTE));
  const base = (who: string, org = '委託先'): Row => ({ 記録番号: recordId, 所属区分: org, 担当者ID: who, 媒体: medium, 備考: random.pick(REMARKS) });

  rows.push([t, {
    ...base(worker), 操作種別: '収集', 利用目的: PURPOSES[0], 情報区分: category, 個人番号の有無: category === '保険料賦課' ? '有' : '無',
    人数: random.int(1, 4_000).toLocaleString('en'), 保管場所: home,
  }]);
  const uses = random.int(1, 3);
  for (let u = 0; u < uses; u++) {
    const subcontracted = paper && random.chance(0.5);
    rows.push([later(1, 30), { ...base(subcontracted ? 'SW-001' : random.pick(WORKERS), subcontracted ? '再委託先' : '委託先'), 操作種別: '利用', 利用目的: random.pick(PURPOSES) }]);
  }
  if (category === '給付実績' && random.chance(0.5)) {
    rows.push([later(2, 24), { ...base(worker), 操作種別: '提供', 提供先: 'KOKUHOREN', 利用目的: PURPOSES[1] }]);
  }
  // A copy: never of 要介護認定 (the authorization leaves it out), except the planted one.
  const copied = planted || (category !== '要介護認定' && random.chance(0.4));
  if (copied) {
    rows.push([later(1, 48), { ...base(worker), 操作種別: '複写', 複写番号: 'C-1', 保管場所: 'DEV-ROOM-3F' }]);
    if (random.chance(0.5)) {
      const transportId = `T-${number}-1`;
      rows.push([later(1, 24), {
        ...base(worker), 操作種別: '搬送開始', 複写番号: 'C-1', 搬送番号: transportId, 搬送元: 'DEV-ROOM-3F', 搬送先: 'CITY-HALL',
        運搬者: 'CARRIER-01', 安全措置: medium === '紙' ? '封緘・施錠容器' : '暗号化・追跡',
      }]);
      rows.push([later(1, 4), { ...base('S-010', '市'), 操作種別: '搬送完了', 搬送番号: transportId, 受領者: 'S-010' }]);
      rows.push([later(1, 24), { ...base(worker), 操作種別: '返却', 複写番号: 'C-1', 受領者: 'S-010' }]);
    } else {
      rows.push([later(24, 240), disposal(random, base(worker), number, 'C-1')]);
    }
  }
  if (paper || random.chance(0.3)) {
    rows.push([later(24, 480), { ...base(worker), 操作種別: '返却', 受領者: 'S-010' }]);
  } else {
    rows.push([later(24, 480), disposal(random, base(worker), number, null)]);
  }
  return rows;
}

function disposal(random: Random, base: Row, number: number, copyId: string | null): Row {
  return {
    ...base, 操作種別: '廃棄', ...(copyId ? { 複写番号: copyId } : {}),
    廃棄方法: base.媒体 === '紙' ? '裁断' : random.pick(['上書き消去', '物理破壊']), 立会者: 'S-011',
    証明書番号: `消去証明書 第${number}${copyId ? `-${copyId}` : ''}号`,
  };
}

/** Moves a time into working hours (9:00–17:59 JST, Monday to Friday). */
function businessHours(at: number): number {
  let local = new Date(at + JST);
  if (local.getUTCHours() >= 18) local = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1, 9, local.getUTCMinutes()));
  if (local.getUTCHours() < 9) local = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), 9, local.getUTCMinutes()));
  while (local.getUTCDay() === 0 || local.getUTCDay() === 6) local = new Date(local.getTime() + 24 * HOUR);
  return local.getTime() - JST;
}

/** `2025/06/02 10:15`, or in 和暦 (`令和7年6月2日 10:15`) for rows transcribed from paper. */
function formatTime(at: number, wareki: boolean): string {
  const d = new Date(at + JST);
  const [y, mo, da, h, mi] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
  const hm = `${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}`;
  if (wareki) return `令和${y - 2018 === 1 ? '元' : y - 2018}年${mo}月${da}日 ${hm}`;
  return `${y}/${String(mo).padStart(2, '0')}/${String(da).padStart(2, '0')} ${hm}`;
}
