#!/usr/bin/env node
// The CLI is TypeScript run through Node's type stripping (Node >= 22.18 / 24, pinned by the
// `node` devDependency, so `npx packetwalk` and npm scripts get it first on PATH).
import { main } from '../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
