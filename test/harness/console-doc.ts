// Runs the ```console blocks of a Markdown guide and checks each command's output against
// the text printed under it, so a guide cannot drift from what the commands really print.
// In expected output: `<name>` is a value that varies (a word; the same name must be the same
// value everywhere in the guide, and a command may use it), `…` alone on a line is any number
// of lines, `…` inside a line is any text, and runs of spaces match any run of whitespace
// (column widths vary with the values).

export interface ConsoleStep {
  command: string;
  expected: string[];
  /** 1-based line of the command in the guide, for failure messages. */
  line: number;
}

/** The `$ command` lines of every ```console block, each with the lines printed under it. */
export function consoleSteps(markdown: string): ConsoleStep[] {
  const steps: ConsoleStep[] = [];
  let inBlock = false;
  markdown.split('\n').forEach((text, i) => {
    if (/^```console\s*$/.test(text)) inBlock = true;
    else if (inBlock && /^```\s*$/.test(text)) inBlock = false;
    else if (inBlock && text.startsWith('$ ')) steps.push({ command: text.slice(2), expected: [], line: i + 1 });
    else if (inBlock && steps.length) steps[steps.length - 1]!.expected.push(text);
  });
  return steps;
}

const PLACEHOLDER = /<([a-z][a-z0-9-]*)>/g;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The command with the values captured so far put in for its placeholders. */
export function substitute(command: string, captured: ReadonlyMap<string, string>): string {
  return command.replace(PLACEHOLDER, (whole, name: string) => captured.get(name) ?? whole);
}

/**
 * Whether `output` matches the expected lines; on a match the newly captured placeholder
 * values are added to `captured`.
 */
export function matchOutput(expected: string[], output: string, captured: Map<string, string>): boolean {
  if (expected.length === 0) return output.trim() === '';
  const groups = new Map<string, string>();
  const parts = expected.map((line) => {
    if (line.trim() === '…') return '(?:[^\\n]*\\n)*?';
    let re = '';
    let last = 0;
    for (const m of line.trimEnd().matchAll(PLACEHOLDER)) {
      re += literal(line.slice(last, m.index));
      const name = m[1]!;
      const known = captured.get(name);
      if (known !== undefined) re += escapeRegExp(known);
      else if (groups.has(name)) re += `\\k<${groups.get(name)}>`;
      else {
        const id = `g${groups.size}`;
        groups.set(name, id);
        re += `(?<${id}>\\S+)`;
      }
      last = m.index! + m[0].length;
    }
    re += literal(line.trimEnd().slice(last));
    return `${re}\\n`;
  });
  const text = output
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n*$/, '\n');
  const m = new RegExp(`^${parts.join('')}$`).exec(text);
  if (!m) return false;
  for (const [name, id] of groups) captured.set(name, m.groups![id]!);
  return true;
}

function literal(s: string): string {
  return s
    .split('…')
    .map((piece) => escapeRegExp(piece).replace(/ +/g, '\\s+'))
    .join('.*?');
}
