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
});
