// Writes the yosys share/ tree that @yowasp/yosys ships inside gen/resources-yosys.js
// (file contents inline as strings, large files as URLs of files under gen/share/) to a directory.
// The package's own runner mounts this tree as /share in the program's only preopen, "/".
// usage: node extract-share.mjs PACKAGE_DIR OUT_DIR   (OUT_DIR/share is created)
import { mkdirSync, writeFileSync, copyFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

const [pkg, out] = process.argv.slice(2);
if (!pkg || !out) {
  console.error("usage: node extract-share.mjs PACKAGE_DIR OUT_DIR");
  process.exit(2);
}
const resources = await import(pathToFileURL(resolve(pkg, "gen/resources-yosys.js")).href);
let files = 0;
function write(dir, tree) {
  mkdirSync(dir, { recursive: true });
  for (const [name, value] of Object.entries(tree)) {
    const path = join(dir, name);
    if (typeof value === "string") {
      writeFileSync(path, value);
      files++;
    } else if (value instanceof Uint8Array) {
      writeFileSync(path, value);
      files++;
    } else if (value instanceof URL) {
      copyFileSync(fileURLToPath(value), path);
      files++;
    } else {
      write(path, value);
    }
  }
}
write(resolve(out), resources.filesystem);
console.error(`extract-share: ${files} files under ${resolve(out)}`);
