import fs from 'node:fs';
import { stringify } from 'yaml';
import { parse as parseYaml } from 'yaml';
import { MappingError, parseMapping } from './mapping.js';

const example = fs.readFileSync('examples/operation-log/mapping.yaml', 'utf8');

describe('mapping files', () => {
  it('reads the example in YAML and the same mapping in JSON alike', () => {
    const fromYaml = parseMapping(example, 'mapping.yaml');
    const fromJson = parseMapping(JSON.stringify(parseYaml(example)), 'mapping.json');
    expect(fromJson).toEqual(fromYaml);
    expect(fromYaml.identity).toEqual(['ログ番号']);
    expect(fromYaml.offset).toBe('+09:00');
    expect(fromYaml.fields.find((f) => f.path === 'type')!.values!.get('複写')).toBe('RecordCopied');
  });

  it('lists every mistake at once: unknown keys and fields, a type that does not exist, bad date formats, no identity', () => {
    const broken = parseYaml(example) as Record<string, any>;
    broken.colour = 'blue';
    delete broken.identity;
    broken.fields['data.patientName'] = '氏名';
    broken.fields.type.values['複写'] = 'RecordXeroxed';
    broken.fields.occurredAt.date = ['DD/MM'];
    let error: MappingError | null = null;
    try {
      parseMapping(stringify(broken), 'broken.yaml');
    } catch (e) {
      error = e as MappingError;
    }
    expect(error).toBeInstanceOf(MappingError);
    expect(error!.problems).toEqual([
      expect.stringContaining('colour: not a key'),
      expect.stringContaining('fields.type: "RecordXeroxed" is not an event type'),
      expect.stringContaining('fields.occurredAt.date'),
      expect.stringContaining('fields.data.patientName: not a field of any event'),
      expect.stringContaining('identity: required'),
    ]);
  });

  it('turns a reference written as text into an ID with match and template, and refuses a bad pattern or a template alone', async () => {
    const { RowMapper } = await import('./row-mapper.js');
    const mapping = parseMapping(example, 'mapping.yaml');
    const rule = mapping.fields.find((f) => f.path === 'data.certificateRef')!;
    expect([rule.match!.source, rule.template]).toEqual(['第([0-9A-Za-z-]+)号', 'ERASE-$1']);
    const header = [...mapping.columns];
    const cells = (values: Record<string, string>) => header.map((c) => values[c] ?? '');
    const row = {
      ログ番号: 'L-1', 操作種別: '廃棄', 記録番号: 'R-1', 操作日時: '2026/04/01 10:00', 所属区分: '委託先', 担当者ID: 'W-001',
      廃棄方法: '裁断', 立会者: 'S-010',
    };
    const mapper = new RowMapper(mapping, header);
    const ok = mapper.map(cells({ ...row, 証明書番号: '消去証明書 第３０００１-C-1号' }), 2, Date.parse('2026-05-01T00:00:00Z'));
    expect(ok.problems).toEqual([]);
    expect(ok.event!.data).toMatchObject({ certificateRef: 'ERASE-30001-C-1' });
    const refused = mapper.map(cells({ ...row, 証明書番号: '証明書なし' }), 3, Date.parse('2026-05-01T00:00:00Z'));
    expect(refused.event).toBeNull();
    expect(refused.problems[0]).toMatchObject({ column: '証明書番号', value: '証明書なし' });

    const broken = parseYaml(example) as Record<string, any>;
    broken.fields['data.certificateRef'].match = '第([0-9]+号';
    broken.fields['data.witnessedBy'] = { column: '立会者', template: 'W-$1' };
    let error: MappingError | null = null;
    try {
      parseMapping(stringify(broken), 'broken.yaml');
    } catch (e) {
      error = e as MappingError;
    }
    expect(error!.problems).toEqual([
      'fields.data.witnessedBy.template: only with match',
      expect.stringMatching(/^fields\.data\.certificateRef\.match: Invalid regular expression/),
    ]);
  });
});
