/**
 * `node -r ./scripts/lib/register-typescript.cjs tools/compare-assemblies.ts <before> <after>`: what differs between
 * two synthesized assemblies (cdk.out folders): files only in one, and per template the resources added, removed
 * or changed, with the changed top-level properties. Exit 0 when identical, 1 when not, 2 on usage.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

type Template = { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

function templateChanges(before: Template, after: Template): string[] {
  const a = before.Resources ?? {};
  const b = after.Resources ?? {};
  const lines: string[] = [];
  for (const id of Object.keys(a)) if (!(id in b)) lines.push(`  - ${id} (${a[id].Type})`);
  for (const id of Object.keys(b)) if (!(id in a)) lines.push(`  + ${id} (${b[id].Type})`);
  for (const id of Object.keys(a).filter((k) => k in b)) {
    if (JSON.stringify(a[id]) === JSON.stringify(b[id])) continue;
    const keys = new Set([...Object.keys(a[id].Properties ?? {}), ...Object.keys(b[id].Properties ?? {})]);
    const changed = [...keys].filter(
      (k) => JSON.stringify(a[id].Properties?.[k]) !== JSON.stringify(b[id].Properties?.[k]),
    );
    lines.push(`  ~ ${id} (${a[id].Type}): ${changed.join(', ') || 'attributes other than Properties'}`);
  }
  return lines;
}

export function compareAssemblies(beforeDir: string, afterDir: string): string[] {
  const rel = (dir: string) => new Set(files(dir).map((f) => relative(dir, f)));
  const before = rel(beforeDir);
  const after = rel(afterDir);
  const out: string[] = [];
  for (const f of before) if (!after.has(f)) out.push(`only before: ${f}`);
  for (const f of after) if (!before.has(f)) out.push(`only after: ${f}`);
  for (const f of [...before].filter((f) => after.has(f)).sort()) {
    const x = readFileSync(join(beforeDir, f));
    const y = readFileSync(join(afterDir, f));
    if (x.equals(y)) continue;
    out.push(`differs: ${f}`);
    if (f.endsWith('.template.json')) out.push(...templateChanges(JSON.parse(x.toString()), JSON.parse(y.toString())));
  }
  return out;
}

if (require.main === module) {
  const [beforeDir, afterDir] = process.argv.slice(2);
  if (!beforeDir || !afterDir || !existsSync(beforeDir) || !existsSync(afterDir)) {
    console.error('usage: tools/compare-assemblies.ts <before cdk.out> <after cdk.out>');
    process.exitCode = 2;
  } else {
    const lines = compareAssemblies(beforeDir, afterDir);
    for (const line of lines) console.log(line);
    process.exitCode = lines.length === 0 ? 0 : 1;
  }
}
