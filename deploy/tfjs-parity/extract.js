// nsfwjs 4.x ships its models as JS modules (dist/models/<model>/model.min.js and
// group1-shardXofN.min.js, each exporting the JSON or the base64 shard). This writes them out as a
// standard TF.js layers-model folder (model.json + binary shards) that `import --tfjs DIR` reads,
// with the package's LICENSE and a SOURCE.json (package, version, sha256 of every file read).
//
// usage: node extract.js <nsfwjs package dir, e.g. node_modules/nsfwjs> <mobilenet_v2|inception_v3> <out dir> [nsfwjs-4.4.0.tgz]
// (the tarball, from `npm pack nsfwjs@4.4.0`, only to record its sha256)
'use strict';
const fs = require('fs');
const path = require('path');
const { sha256, writeSource } = require('./provenance');

const [, , pkgDir, model, out, tarball] = process.argv;
if (!out) {
  console.error('usage: node extract.js <nsfwjs package dir> <mobilenet_v2|mobilenet_v2_mid|inception_v3> <out dir>');
  process.exit(2);
}
const dir = path.join(pkgDir, 'dist', 'models', model);
const unwrap = (m) => (m && m.default ? m.default : m);

fs.mkdirSync(out, { recursive: true });
const sources = {};
const modelFile = path.join(dir, 'model.min.js');
const json = unwrap(require(path.resolve(modelFile)));
sources[`package/dist/models/${model}/model.min.js`] = sha256(modelFile);
fs.writeFileSync(path.join(out, 'model.json'), JSON.stringify(json));
for (const group of json.weightsManifest) {
  for (const p of group.paths) {
    const shardFile = path.join(dir, `${p}.min.js`);
    const base64 = unwrap(require(path.resolve(shardFile)));
    fs.writeFileSync(path.join(out, p), Buffer.from(base64, 'base64'));
    sources[`package/dist/models/${model}/${p}.min.js`] = sha256(shardFile);
  }
}
writeSource(pkgDir, out, {
  model,
  upstream: 'https://github.com/infinitered/nsfwjs (Infinite Red, Inc.), ' + model + ' of the NSFW classifier, '
    + 'Keras ' + (json.modelTopology.keras_version || '?') + ' model converted to a TF.js layers model with uint8-quantised weights',
  extractedWith: `node deploy/tfjs-parity/extract.js node_modules/nsfwjs ${model} DIR`,
  sources,
  tarball,
});
console.log(`wrote ${out}: model.json, ${json.weightsManifest.map((g) => g.paths.length).reduce((a, b) => a + b)} shard(s), LICENSE, SOURCE.json`);
