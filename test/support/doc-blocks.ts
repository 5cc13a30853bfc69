/**
 * The shell blocks of the README and docs/ that test/docs-commands.e2e-spec.ts runs, found by an
 * HTML comment that readers do not see:
 *
 *   <!-- doc-test: NAME [output=comments] [errexit=off] -->   just before a ```bash or ```sh block
 *   <!-- doc-test-output: NAME -->                           just before a fenced block showing
 *                                                             the output of NAME's last command
 *
 * A ```text block may be a transcript instead: lines starting with `$ ` are commands (one line
 * each), the lines after one its output.
 *
 * `output=comments`: the `# ` lines at the start of a line right after a command are that
 * command's output as the doc shows it (`…` elides). `errexit=off`: the block shows a command
 * failing on purpose (`echo $?   # 1`), so it runs without `set -e`.
 */
export interface DocCommand {
  /** The command as written (continuation lines, quotes and heredocs included). */
  readonly text: string;
  /** The output the doc shows for it, or null when it shows none. */
  readonly expected: string | null;
}

export interface DocBlock {
  readonly name: string;
  readonly file: string;
  /** 1-based line of the block's opening fence. */
  readonly line: number;
  readonly commands: DocCommand[];
  readonly errexit: boolean;
}

const MARKER = /^<!-- doc-test: ([a-z0-9-]+)((?: [a-z]+=[a-z]+)*) -->$/;
const OUTPUT_MARKER = /^<!-- doc-test-output: ([a-z0-9-]+) -->$/;
const OPTIONS = new Set(['output=comments', 'errexit=off']);

/** Every marked block of one markdown file; a malformed marker or a marker not followed by a block throws. */
export function docBlocks(file: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  const outputs = new Map<string, string>();
  const fenceAfter = (i: number, what: string): { info: string; body: string[]; end: number } => {
    const open = /^```(\S*)\s*$/.exec(lines[i + 1] ?? '');
    if (!open) throw new Error(`${file}:${i + 1}: ${what} must be followed directly by a fenced block`);
    const end = lines.findIndex((l, j) => j > i + 1 && l === '```');
    if (end < 0) throw new Error(`${file}:${i + 2}: the fenced block is not closed`);
    return { info: open[1]!, body: lines.slice(i + 2, end), end };
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line.startsWith('<!-- doc-test')) continue;
    const output = OUTPUT_MARKER.exec(line);
    if (output) {
      outputs.set(output[1]!, fenceAfter(i, 'a doc-test-output marker').body.join('\n'));
      continue;
    }
    const marker = MARKER.exec(line);
    if (!marker) throw new Error(`${file}:${i + 1}: not a doc-test marker: ${line}`);
    const options = marker[2]!.trim().split(' ').filter(Boolean);
    const unknown = options.filter((o) => !OPTIONS.has(o));
    if (unknown.length > 0) throw new Error(`${file}:${i + 1}: unknown doc-test option ${unknown.join(', ')}`);
    const { info, body } = fenceAfter(i, 'a doc-test marker');
    const transcript = info === 'text' && body[0]?.startsWith('$ ');
    if (info !== 'bash' && info !== 'sh' && !transcript) {
      throw new Error(`${file}:${i + 1}: doc-test ${marker[1]} marks a \`\`\`${info} block, not bash, sh or a \`\`\`text transcript starting with "$ "`);
    }
    blocks.push({
      name: marker[1]!,
      file,
      line: i + 2,
      commands: transcript ? transcriptCommands(body) : splitCommands(body, options.includes('output=comments')),
      errexit: !options.includes('errexit=off'),
    });
  }
  for (const [name, text] of outputs) {
    const index = blocks.findIndex((b) => b.name === name);
    if (index < 0) throw new Error(`${file}: doc-test-output ${name} follows no doc-test block of that name in this file`);
    const block = blocks[index]!;
    const last = block.commands.at(-1)!;
    blocks[index] = { ...block, commands: [...block.commands.slice(0, -1), { ...last, expected: text }] };
  }
  return blocks;
}

/**
 * Splits a shell block into its commands: a command ends at a line end outside quotes, a
 * heredoc and a trailing backslash. With `commentsAreOutput`, the comment lines that follow a
 * command (`# …` at the start of the line) are its expected output.
 */
export function splitCommands(lines: string[], commentsAreOutput: boolean): DocCommand[] {
  const commands: Array<{ text: string[]; expected: string[] }> = [];
  let quote: "'" | '"' | null = null;
  let heredoc: string | null = null;
  let continued = false;
  for (const line of lines) {
    const inside = quote !== null || heredoc !== null || continued;
    if (!inside && /^\s*$/.test(line)) continue;
    if (!inside && line.startsWith('#')) {
      if (commentsAreOutput && commands.length > 0) commands.at(-1)!.expected.push(line.replace(/^# ?/, ''));
      continue;
    }
    if (heredoc !== null) {
      commands.at(-1)!.text.push(line);
      if (line === heredoc) heredoc = null;
      continue;
    }
    if (inside) commands.at(-1)!.text.push(line);
    else commands.push({ text: [line], expected: [] });
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quote === "'") {
        if (c === "'") quote = null;
      } else if (c === '\\') {
        i++;
      } else if (quote === '"') {
        if (c === '"') quote = null;
      } else if (c === "'" || c === '"') {
        quote = c;
      } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
        break; // a trailing comment
      } else if (c === '<' && line.startsWith('<<', i)) {
        const tag = /^<<-?\s*(['"]?)([A-Za-z_]+)\1/.exec(line.slice(i));
        if (tag) heredoc = tag[2]!;
      }
    }
    continued = quote === null && /\\$/.test(line.replace(/\s+#.*$/, ''));
  }
  return commands.map((c) => ({ text: c.text.join('\n'), expected: c.expected.length > 0 ? c.expected.join('\n') : null }));
}

/** A transcript's commands (`$ ` lines) and the output shown after each. */
function transcriptCommands(lines: string[]): DocCommand[] {
  const commands: Array<{ text: string; expected: string[] }> = [];
  for (const line of lines) {
    if (line.startsWith('$ ')) commands.push({ text: line.slice(2), expected: [] });
    else commands.at(-1)!.expected.push(line);
  }
  return commands.map((c) => ({ text: c.text, expected: c.expected.some((l) => l.trim() !== '') ? c.expected.join('\n') : null }));
}
