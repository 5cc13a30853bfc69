import { docBlocks } from './doc-blocks.js';
import { outputMismatch } from './doc-output.js';

describe('the docs test: marked blocks and their shown output', () => {
  it('given a marked block with a heredoc, a continued line and comment output, then each command keeps its text and the output shown after it', () => {
    const markdown = [
      '<!-- doc-test: example output=comments -->',
      '```bash',
      "curl -s -X POST localhost:3000/v1/events \\",
      "  -d @- <<'EOF'",
      '# not a comment: inside the heredoc',
      'EOF',
      '# {"status":"appended"}',
      "echo 'a # inside quotes'   # a trailing note, not output",
      '```',
    ].join('\n');
    const [block] = docBlocks('x.md', markdown);
    expect(block!.commands).toEqual([
      { text: "curl -s -X POST localhost:3000/v1/events \\\n  -d @- <<'EOF'\n# not a comment: inside the heredoc\nEOF", expected: '{"status":"appended"}' },
      { text: "echo 'a # inside quotes'   # a trailing note, not output", expected: null },
    ]);
  });

  it('given a marker not followed by a shell block, or an unknown option, then reading the doc fails naming the line', () => {
    expect(() => docBlocks('x.md', '<!-- doc-test: a -->\n\n```bash\nls\n```')).toThrow('x.md:1');
    expect(() => docBlocks('x.md', '<!-- doc-test: a output=all -->\n```bash\nls\n```')).toThrow('unknown doc-test option output=all');
  });

  it('given JSON, when only positions, times and hashes differ, then it matches; a changed stable value or a missing key does not', () => {
    const doc = '{"eventId":"5b0c7c1e-8a39-4d2e-9a51-0f3c1f1f6a10","status":"appended","position":2,"hash":"…64 hex…","recordedAt":"…"}';
    const printed = { eventId: '5b0c7c1e-8a39-4d2e-9a51-0f3c1f1f6a10', status: 'appended', position: 45, hash: 'b80c34e4', recordedAt: '2026-11-26T05:11:33.832Z' };
    expect(outputMismatch(doc, JSON.stringify(printed))).toBeNull();
    expect(outputMismatch(doc, JSON.stringify({ ...printed, status: 'duplicate' }))).toContain('$.status: the doc shows "appended", got "duplicate"');
    expect(outputMismatch(doc, JSON.stringify({ ...printed, extra: 1 }))).toContain('not in the doc extra');
    expect(outputMismatch('{"since":"2026-09-10T00:00:00.000Z"}', '{"since":"2026-09-10T09:00:00.000+09:00"}')).toContain('$.since');
  });

  it('given text abbreviated with …, then its pieces must appear in order, tree sizes and keys normalised', () => {
    const doc = 'wrote out/a.bundle.json: 6 events of contract c in 2 streams, proven against checkpoint 7 of log "o/log" …';
    expect(outputMismatch(doc, 'wrote out/a.bundle.json: 6 events of contract c in 2 streams, proven against checkpoint 691 of log "o/log" (suggested name …)')).toBeNull();
    expect(outputMismatch(doc, 'wrote out/a.bundle.json: 7 events of contract c in 2 streams, proven against checkpoint 691 of log "o/log"')).toContain('not found in the output');
  });
});
