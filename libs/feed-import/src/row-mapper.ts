/**
 * One CSV row → one event, by the mapping, checked with the ledger's own rules (libs/wire), so a
 * dry run refuses exactly what the ledger would. Problems name the row, the column and the cell.
 */
import { EVENT_DATA_FIELDS, EVENT_SPECS, type EventType, type LedgerEvent } from '@ledger/client';
import { InvalidEventsError } from '@ledger/domain';
import { parseEvents } from '@ledger/wire';
import { dateReader, type DateResult } from './dates.js';
import { REPLACEMENT } from './encoding.js';
import type { FieldRule, Mapping } from './mapping.js';
import { wireProblemJa, type RowProblem } from './problems.js';
import { importedEventId } from './uuid-v5.js';

export type MappedRow = { event: LedgerEvent; problems: [] } | { event: null; problems: RowProblem[] };

interface CompiledRule extends FieldRule {
  index: number;
  readDate: ((text: string) => DateResult) | null;
}

type Converted = { ok: true; value: unknown } | { ok: false; ja: string; en: string };

export class RowMapper {
  private readonly rules: CompiledRule[];
  private readonly typeRule: CompiledRule;
  private readonly identity: number[];
  private readonly columnOf = new Map<string, string>();

  /** `header`: the file's column names; the mapping's columns must all be there (checked by missingColumns). */
  constructor(
    private readonly mapping: Mapping,
    private readonly header: readonly string[],
  ) {
    this.rules = mapping.fields.map((rule) => ({
      ...rule,
      index: rule.column === undefined ? -1 : header.indexOf(rule.column),
      readDate: rule.date ? dateReader(rule.date, mapping.offset) : null,
    }));
    this.typeRule = this.rules.find((r) => r.path === 'type')!;
    this.identity = mapping.identity.map((c) => header.indexOf(c));
    for (const rule of this.rules) this.columnOf.set(rule.path, rule.column ?? '');
  }

  /** The mapping's columns that the header lacks. */
  static missingColumns(mapping: Mapping, header: readonly string[]): string[] {
    return mapping.columns.filter((c) => !header.includes(c));
  }

  /** `row`: the spreadsheet row number (header = 1); `now`: the clock the ledger's rules judge against. */
  map(cells: readonly string[], row: number, now: number): MappedRow {
    const problems: RowProblem[] = [];
    const problem = (column: string, value: string, ja: string, en: string): void => {
      problems.push({ row, column, value, ja, en });
    };
    if (cells.length !== this.header.length) {
      problem('', '', `列の数が${cells.length}です（見出しは${this.header.length}列）`, `the row has ${cells.length} columns, the header ${this.header.length}`);
    }
    cells.forEach((cell, i) => {
      if (cell.includes(REPLACEMENT)) {
        problem(this.header[i] ?? '', cell, 'ファイルの文字コードで読めない文字があります', 'holds bytes that are not valid in the file\'s encoding');
      }
    });
    if (problems.length > 0) return { event: null, problems };

    const typeValue = this.evaluate(this.typeRule, cells);
    if (typeValue === undefined || !typeValue.ok) {
      const cell = this.cell(this.typeRule, cells);
      if (typeValue === undefined) problem(this.typeRule.column ?? '', cell, '種別が空欄です', 'the event type is empty');
      else problem(this.typeRule.column ?? '', cell, typeValue.ja, typeValue.en);
      return { event: null, problems };
    }
    const type = typeValue.value as EventType;
    if (!Object.prototype.hasOwnProperty.call(EVENT_SPECS, type)) {
      problem(this.typeRule.column ?? '', this.cell(this.typeRule, cells), `「${String(type)}」はイベント種別ではありません`, `${String(type)} is not an event type`);
      return { event: null, problems };
    }
    const event: Record<string, unknown> = {};
    for (const rule of this.rules) {
      if (!this.applies(rule, type)) continue;
      const converted = rule === this.typeRule ? typeValue : this.evaluate(rule, cells);
      if (converted === undefined) continue;
      if (!converted.ok) {
        problem(rule.column ?? '', this.cell(rule, cells), converted.ja, converted.en);
        continue;
      }
      setPath(event, rule.path, converted.value);
    }
    if (problems.length > 0) return { event: null, problems };
    const contractId = typeof event.contractId === 'string' ? event.contractId : '';
    event.eventId = importedEventId(contractId, this.identity.map((i) => (cells[i] ?? '').trim()));
    try {
      const [checked] = parseEvents([event], now);
      return { event: checked!, problems: [] };
    } catch (error) {
      if (!(error instanceof InvalidEventsError)) throw error;
      for (const p of error.problems) {
        const rule = this.ruleFor(p.field);
        problem(rule?.column ?? '', rule ? this.cell(rule, cells) : '', wireProblemJa(p), p.message);
      }
      return { event: null, problems };
    }
  }

  private applies(rule: CompiledRule, type: EventType): boolean {
    if (rule.types && !rule.types.includes(type)) return false;
    if (rule.path === 'recordId') return EVENT_SPECS[type].kind === 'record';
    if (rule.path.startsWith('data.')) {
      const field = rule.path.split('.')[1]!;
      return Object.prototype.hasOwnProperty.call(EVENT_DATA_FIELDS[type], field);
    }
    return true;
  }

  /** undefined: leave the field out (empty cell without an `empty` value). */
  private evaluate(rule: CompiledRule, cells: readonly string[]): Converted | undefined {
    if (rule.index === -1) return { ok: true, value: rule.const };
    const cell = (cells[rule.index] ?? '').trim();
    if (cell === '') return 'empty' in rule ? { ok: true, value: rule.empty } : undefined;
    if (rule.list !== undefined) {
      const items = cell.split(rule.list).map((s) => s.trim()).filter((s) => s !== '');
      const values: unknown[] = [];
      for (const item of items) {
        const one = this.convert(rule, item);
        if (!one.ok) return one;
        values.push(one.value);
      }
      return { ok: true, value: values };
    }
    return this.convert(rule, cell);
  }

  private convert(rule: CompiledRule, cellText: string): Converted {
    let text = cellText;
    if (rule.match) {
      const found = rule.match.exec(cellText.normalize('NFKC'));
      if (!found) {
        return { ok: false, ja: `「${cellText}」は${rule.column}の形式（${rule.match.source}）に合いません`, en: `"${cellText}" does not match the pattern of ${rule.column} (${rule.match.source})` };
      }
      text = rule.template !== undefined ? rule.template.replace(/\$([1-9])/g, (_, n: string) => found[Number(n)] ?? '') : (found[1] ?? found[0]);
    }
    if (rule.values) {
      if (rule.values.has(text)) return { ok: true, value: rule.values.get(text) };
      const normalized = text.normalize('NFKC');
      for (const [key, value] of rule.values) if (key.normalize('NFKC') === normalized) return { ok: true, value };
      const choices = [...rule.values.keys()].join('、');
      return {
        ok: false,
        ja: `「${text}」は${rule.column}の対応表にありません（${choices}）`,
        en: `"${text}" is not in the value table of ${rule.column} (${[...rule.values.keys()].join(', ')})`,
      };
    }
    if (rule.readDate) return rule.readDate(text);
    if (rule.number) {
      const digits = text.normalize('NFKC').replace(/,/g, '');
      if (!/^-?\d+$/.test(digits)) return { ok: false, ja: `「${text}」は整数ではありません`, en: `"${text}" is not an integer` };
      return { ok: true, value: Number(digits) };
    }
    return { ok: true, value: text };
  }

  private cell(rule: CompiledRule, cells: readonly string[]): string {
    return rule.index === -1 ? JSON.stringify(rule.const) : (cells[rule.index] ?? '');
  }

  /** The rule that filled a field the ledger's rules name (data.term.end → data.term, data.safeguards[1] → data.safeguards). */
  private ruleFor(field: string): CompiledRule | undefined {
    let path = field.replace(/\[\d+\]/g, '');
    for (;;) {
      const rule = this.rules.find((r) => r.path === path);
      if (rule) return rule;
      const cut = path.lastIndexOf('.');
      if (cut === -1) return undefined;
      path = path.slice(0, cut);
    }
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}
