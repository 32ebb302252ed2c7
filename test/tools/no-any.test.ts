/**
 * No `any` type in the constructs, commands, tools and benches: commands read templates through
 * tools/analysis/template.ts and AWS requests through each stand-in's request type, narrowing `unknown` where checked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const GUARDED = ['scripts', 'tools', 'bench', 'lib'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.[cm]?tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The lines where `source` writes the type `any` (parsed, so a comment or a string saying "any" does not count). */
function anyTypeLines(fileName: string, source: string): number[] {
  // Parsing is the slow part: a file that never spells the word cannot declare the type.
  if (!/\bany\b/.test(source)) return [];
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest);
  const lines: number[] = [];
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.AnyKeyword)
      lines.push(file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return lines;
}

describe('the any-type guard', () => {
  it('finds `any` in every place a type is written, and not in comments or strings', () => {
    const source = [
      '// any comment says any',
      "const note = 'any';",
      'let a: any;',
      'const b = note as any;',
      'const c = Object.values<any>({});',
      'type D = any[];',
      'function e(x: Record<string, any>): void {}',
      'const f = (x: unknown): x is string => typeof x === "string"; /* any */',
    ].join('\n');
    expect(anyTypeLines('sample.ts', source)).toEqual([3, 4, 5, 6, 7]);
  });

  it(`${GUARDED.join('/, ')}/ declare no any type (read unknown values through a type or a type guard)`, () => {
    const found = GUARDED.flatMap((folder) => sourceFiles(join(ROOT, folder))).flatMap((path) =>
      anyTypeLines(path, readFileSync(path, 'utf8')).map((line) => `${relative(ROOT, path)}:${line}`),
    );
    expect(found).toEqual([]);
  });
});
