// Tokenizes .eval files with a TextMate grammar exactly as VS Code does (vscode-textmate + vscode-oniguruma) and
// prints, for each line, the line and then each token: its columns (1-based, end exclusive), its text and its
// scopes (the root scope source.evaldsl left out). The xunit test compares the output with golden snapshots.
//
//   node scripts/tokenize.mjs GRAMMAR FILE
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const [grammarPath, filePath] = process.argv.slice(2);
if (!grammarPath || !filePath) {
  process.stderr.write("usage: node scripts/tokenize.mjs GRAMMAR FILE\n");
  process.exit(2);
}

const wasm = readFileSync(join(dirname(require.resolve("vscode-oniguruma")), "onig.wasm"));
await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));

const grammarText = readFileSync(grammarPath, "utf8");
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (text) => new oniguruma.OnigString(text),
  }),
  loadGrammar: async () => vsctm.parseRawGrammar(grammarText, grammarPath),
});
const grammar = await registry.loadGrammar("source.evaldsl");
if (!grammar) {
  process.stderr.write(`${grammarPath}: the grammar did not load\n`);
  process.exit(1);
}

const text = readFileSync(filePath, "utf8").replace(/^\uFEFF/, "");
const lines = text.split(/\r\n|\r|\n/);
if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();

let out = "";
let state = vsctm.INITIAL;
lines.forEach((line, index) => {
  out += `${index + 1}: ${line}\n`;
  const result = grammar.tokenizeLine(line, state);
  for (const token of result.tokens) {
    const piece = line.substring(token.startIndex, token.endIndex);
    if (piece.trim() === "") continue;
    const scopes = token.scopes.filter((s) => s !== "source.evaldsl").join(" ");
    out += `  ${token.startIndex + 1}-${token.endIndex + 1} ${JSON.stringify(piece)} ${scopes || "-"}\n`;
  }
  state = result.ruleStack;
});
process.stdout.write(out);
