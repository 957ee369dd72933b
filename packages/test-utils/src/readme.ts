/**
 * README examples as tests: every fenced ts/js block of a package's README is written to `<package>/.readme/`
 * (git-ignored) and imported, so vitest's aliases resolve `@facelab/*` to the sources, in a temporary working
 * directory holding the fixtures the examples name. A block preceded by `<!-- readme-test: skip <reason> -->`
 * is reported as skipped with its reason.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** One fenced code block of a README. */
export interface ReadmeBlock {
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  code: string;
  /** The reason given by a `<!-- readme-test: skip … -->` comment right above the block. */
  skip?: string;
}

/** The fenced ts/typescript/js/javascript blocks of a Markdown text. */
export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript|js|javascript)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    if (end < 0) throw new Error(`README line ${i + 1}: unclosed code block`);
    const previous = lines.slice(0, i).reverse().find((l) => l.trim() !== '');
    const skip = previous && /^<!-- readme-test: skip (.+) -->$/.exec(previous.trim())?.[1];
    blocks.push({ line: i + 1, lang: open[1]!, code: lines.slice(i + 1, end).join('\n'), ...(skip ? { skip } : {}) });
    i = end;
  }
  return blocks;
}

/** Options of {@link describeReadmeExamples}. */
export interface ReadmeExampleOptions {
  /** Files the examples name, by the name they use (relative to the working directory) → the file to copy there. */
  fixtures?: Record<string, string>;
}

/**
 * A suite that runs every ts/js block of the README in `packageDir` (a `file:` URL of the package folder,
 * e.g. `new URL('..', import.meta.url)`), each in a fresh working directory with the fixtures copied in.
 */
export function describeReadmeExamples(packageDir: URL, options: ReadmeExampleOptions = {}): void {
  const dir = fileURLToPath(packageDir);
  const blocks = readmeBlocks(readFileSync(join(dir, 'README.md'), 'utf8'));
  describe(`README examples of ${basename(dir)}`, () => {
    it('has an install line and at least one example', () => {
      expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(/^npm install @facelab\//m);
      expect(blocks.length).toBeGreaterThan(0);
    });
    for (const block of blocks) {
      const name = `README.md:${block.line} runs`;
      if (block.skip !== undefined) {
        it.skip(`${name} (skipped: ${block.skip})`, () => undefined);
        continue;
      }
      it(name, async () => {
        mkdirSync(join(dir, '.readme'), { recursive: true });
        const file = join(dir, '.readme', `line-${block.line}.${block.lang.startsWith('t') ? 'ts' : 'js'}`);
        writeFileSync(file, `${block.code}\nexport {};\n`);
        const cwd = mkdtempSync(join(tmpdir(), 'facelab-readme-'));
        for (const [as, from] of Object.entries(options.fixtures ?? {})) copyFileSync(from, join(cwd, as));
        const before = process.cwd();
        process.chdir(cwd);
        try {
          await import(/* @vite-ignore */ `${file}?t=${Date.now()}`);
        } finally {
          process.chdir(before);
        }
      });
    }
  });
}
