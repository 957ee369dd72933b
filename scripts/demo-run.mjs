// Runs one package's demo (see scripts/demo.mjs) and writes its result as JSON, atomically:
// `node scripts/demo-run.mjs <package> <outDir> <resultFile>`.
import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [pkg, outDir, resultFile] = process.argv.slice(2);
const { demo } = await import(pathToFileURL(resolve('packages', pkg, 'demo-dist', 'index.js')).href);
const result = await demo({ outDir });
writeFileSync(`${resultFile}.tmp`, JSON.stringify(result));
renameSync(`${resultFile}.tmp`, resultFile);
