// Build the apps' Plotly renderer (a JupyterLab mime extension Voila loads instead of
// jupyterlab-plotly, whose full plotly.js costs each visitor's browser ~3 s to load and start):
//   cd js/plotly-renderer && npm ci && node build.mjs
// writes cxtoolkit/resources/labextensions/cxtoolkit-plotly/{package.json,static/*}.
//   node build.mjs --entry-only
// rewrites only the renderer (remoteEntry.js) beside the plotly.js bundle already built (no npm ci).
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const NAME = "cxtoolkit-plotly";
const out = join(here, "..", "..", "cxtoolkit", "resources", "labextensions", NAME);
const hash = (b) => createHash("sha256").update(b).digest("hex").slice(0, 20);

if (process.argv.includes("--entry-only")) {
  const pkg = JSON.parse(readFileSync(join(out, "package.json")));
  const bundleName = readdirSync(join(out, "static")).find((f) => /^plotly-cx\.[0-9a-f]+\.js$/.test(f));
  const bundle = readFileSync(join(out, "static", bundleName));
  const entry = readFileSync(join(here, "remoteEntry.js"), "utf8")
    .replace("__NAME__", NAME).replace("__BUNDLE__", `${bundleName}?v=${hash(bundle)}`);
  const entryName = `remoteEntry.${hash(entry)}.js`;
  rmSync(join(out, pkg.jupyterlab._build.load), { force: true });
  writeFileSync(join(out, "static", entryName), entry);
  pkg.jupyterlab._build.load = `static/${entryName}`;
  writeFileSync(join(out, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
  console.log(`${out}: ${entryName} (beside ${bundleName})`);
  process.exit(0);
}

const { build } = await import("esbuild");
const plotlyVersion = JSON.parse(readFileSync(join(here, "node_modules", "plotly.js", "package.json"))).version;

const res = await build({
  entryPoints: [join(here, "plotly-traces.js")], bundle: true, minify: true, write: false,
  format: "iife", globalName: "Plotly", target: "es2018", legalComments: "eof",
  define: { global: "window", "define.amd": "false" },
  loader: { ".css": "empty" },   // maplibre's CSS, required only by map traces (not bundled)
  metafile: true,
  banner: { js: `/*! plotly.js ${plotlyVersion} (trimmed for cxtoolkit) | Copyright 2012-2026 Plotly, Inc. | MIT license;`
                + " bundled packages and their licenses: third-party-licenses.json */" },
});
// every package bundled, with its version and license (as JupyterLab's builder lists them)
const packages = new Map();
for (const input of Object.keys(res.metafile.inputs)) {
  const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g);
  if (!m) continue;
  const dir = join(here, m.join("").slice(0, -1));
  const pkg = JSON.parse(readFileSync(join(dir, "package.json")));
  packages.set(pkg.name, { name: pkg.name, versionInfo: pkg.version,
                           licenseId: typeof pkg.license === "string" ? pkg.license : JSON.stringify(pkg.license ?? "") });
}
const bundle = res.outputFiles[0].contents;
const bundleName = `plotly-cx.${hash(bundle)}.js`;
const entry = readFileSync(join(here, "remoteEntry.js"), "utf8")
  .replace("__NAME__", NAME).replace("__BUNDLE__", `${bundleName}?v=${hash(bundle)}`);
const entryName = `remoteEntry.${hash(entry)}.js`;

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "static"), { recursive: true });
writeFileSync(join(out, "static", bundleName), bundle);
writeFileSync(join(out, "static", entryName), entry);
writeFileSync(join(out, "static", "third-party-licenses.json"), JSON.stringify(
  { packages: [...packages.values()].sort((a, b) => a.name.localeCompare(b.name)) }, null, 2) + "\n");
writeFileSync(join(out, "package.json"), JSON.stringify({
  name: NAME, version: "1.0.0", license: "MIT",
  description: `Plotly figures in the cxtoolkit apps (plotly.js ${plotlyVersion}: bar, scatter, heatmap, pie, sankey, indicator, waterfall); built by js/plotly-renderer/build.mjs`,
  jupyterlab: { mimeExtension: true, _build: { load: `static/${entryName}`, mimeExtension: "./mimeExtension" } },
}, null, 2) + "\n");
console.log(`${out}: ${bundleName} (${(bundle.length / 1e6).toFixed(2)} MB), ${entryName}`);
