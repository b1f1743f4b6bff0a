// face-api (@vladmandic/face-api) for the TF.js importer: its models ship as weight manifests whose
// network is defined in the package's code, so `import --tfjs DIR --architecture NAME` builds them
// by name. This script
//
//   node faceapi.js extract <face-api package dir> <model> <out dir> [tarball]
//       copies <model>-weights_manifest.json and its shards, the package's LICENSE, and writes
//       SOURCE.json (package, version, sha256 of every file read, licence); the tarball (from
//       `npm pack @vladmandic/face-api@1.7.15`) only to record its sha256
//   node faceapi.js reference <repo root>
//       cuts every face of the faces evaluation set (its hand-labelled boxes) out of its photo the
//       way face-api does (slice the box, pad to a square centred, bilinear resize to 112) and writes
//       the 112x112 inputs as 8-bit PNGs, then runs the original landmark and expression networks
//       (pure-JS CPU backend of @tensorflow/tfjs) on those PNGs and writes their outputs, which the
//       imported models are held to (FaceAttributesParityTest)
//   node faceapi.js crop-reference <repo root>
//       runs face-api's whole attribute path (extractFaceTensors on a box of a photo, then each
//       network's own padding and bilinear resize, on unrounded values) on boxes of photos built
//       from the parity crops by whole-pixel copies (FaceCropParityTest builds the same), and writes
//       both networks' raw outputs: this holds the crop (FaceCrop), not only the networks
//   node faceapi.js ssd-reference <repo root>
//       runs the original SSD-MobileNetV1 face detector on the 512x512 inputs of
//       SsdParity.inputs (built from the 112 px face crops above by whole-pixel copies only, so both
//       sides build them bit for bit without another committed image) and writes, per input, the
//       100 anchors it scores highest (index, score, decoded box) and what locateFaces returns at
//       minConfidence 0.5 (SsdParityTest)
//
// Both sides read the same PNGs, so the comparison is of the networks, not of two decoders or resizers.
'use strict';
const fs = require('fs');
const path = require('path');
const { sha256, writeSource } = require('./provenance');
const { PNG } = require('pngjs');
const jpeg = require('jpeg-js');

const DATASET = 'datasets/src/main/resources/datasets/faces';
const OUT = 'datasets/src/main/resources/datasets/face-attributes';

function faceapi() {
  // the Node build that needs no native download: @tensorflow/tfjs; the CPU backend is chosen below
  return require('@vladmandic/face-api/dist/face-api.node-wasm.js');
}

function extract(pkgDir, model, out, tarball) {
  const manifestName = `${model}-weights_manifest.json`;
  const manifestFile = path.join(pkgDir, 'model', manifestName);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  fs.mkdirSync(out, { recursive: true });
  const sources = { [`package/model/${manifestName}`]: sha256(manifestFile) };
  fs.copyFileSync(manifestFile, path.join(out, manifestName));
  for (const group of manifest) {
    for (const p of group.paths) {
      fs.copyFileSync(path.join(pkgDir, 'model', p), path.join(out, p));
      sources[`package/model/${p}`] = sha256(path.join(pkgDir, 'model', p));
    }
  }
  writeSource(pkgDir, out, {
    model,
    upstream: 'https://github.com/vladmandic/face-api (Vladimir Mandic; fork of justadudewhohacks/face-api.js), '
      + `${model}: weights manifest with uint8-quantised weights, network defined in the package's source`,
    extractedWith: `node deploy/tfjs-parity/faceapi.js extract node_modules/@vladmandic/face-api ${model} DIR`,
    sources,
    tarball,
  });
  console.log(`wrote ${out}`);
}

function decode(tf, file) {
  const buf = fs.readFileSync(file);
  const img = file.endsWith('.png') ? PNG.sync.read(buf) : jpeg.decode(buf, { useTArray: true, formatAsRGBA: true });
  const rgb = new Int32Array(img.width * img.height * 3);
  for (let i = 0; i < img.width * img.height; i++) for (let c = 0; c < 3; c++) rgb[3 * i + c] = img.data[4 * i + c];
  return tf.tensor3d(rgb, [img.height, img.width, 3], 'int32');
}

function writePng(file, t) {
  const [h, w] = t.shape;
  const png = new PNG({ width: w, height: h, colorType: 2, inputHasAlpha: false, inputColorType: 2 });
  png.data = Buffer.from(Uint8Array.from(t.dataSync()));
  fs.writeFileSync(file, PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false }));
}

async function load(fa, pkgDir, net, model) {
  const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, 'model', `${model}-weights_manifest.json`), 'utf8'));
  const bytes = Buffer.concat(manifest[0].paths.map((p) => fs.readFileSync(path.join(pkgDir, 'model', p))));
  const map = fa.tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), manifest[0].weights);
  net.loadFromWeightMap(map);
}

// face-api on the pure-JS CPU backend with its landmark and expression networks loaded
async function attributeNets() {
  const fa = faceapi();
  const tf = fa.tf;
  await tf.setBackend('cpu');
  const pkgDir = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
  await load(fa, pkgDir, fa.nets.faceLandmark68Net, 'face_landmark_68_model');
  await load(fa, pkgDir, fa.nets.faceExpressionNet, 'face_expression_model');
  return { fa, tf, pkgDir };
}

async function reference(root) {
  const { fa, tf, pkgDir } = await attributeNets();
  const labels = JSON.parse(fs.readFileSync(path.join(root, DATASET, 'labels.json'), 'utf8'));
  fs.mkdirSync(path.join(root, OUT, 'images'), { recursive: true });
  const faces = [];
  for (const image of labels.images) {
    if (!image.faces || image.faces.length === 0) continue;
    const photo = decode(tf, path.join(root, DATASET, 'images', image.file));
    for (const [k, face] of image.faces.entries()) {
      const [x, y, w, h] = face.box;
      const name = `${image.file.replace(/\.[a-z]+$/, '')}-face${k + 1}.png`;
      // face-api: extractFaceTensors slices the box, NetInput.toBatchTensor(112, true) pads and resizes
      const crop = tf.tidy(() => tf.slice3d(photo, [y, x, 0], [h, w, 3]));
      const input = await fa.toNetInput(crop);
      const batch = input.toBatchTensor(112, true);
      const pixels = tf.tidy(() => batch.squeeze([0]).round().clipByValue(0, 255).toInt());
      writePng(path.join(root, OUT, 'images', name), pixels);
      // the originals on the 8-bit input as written
      const net = await fa.toNetInput(pixels);
      const raw = fa.nets.faceLandmark68Net.runNet(net);
      const expressions = fa.nets.faceExpressionNet.forwardInput(await fa.toNetInput(pixels));
      faces.push({ image: name, source: image.file, box: face.box,
        landmarks: Array.from(await raw.data()).map((v) => v * 112),
        expressions: Array.from(await expressions.data()) });
      [crop, batch, pixels, raw, expressions].forEach((t) => t.dispose());
    }
    photo.dispose();
  }
  const meta = {
    package: '@vladmandic/face-api',
    version: JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version,
    tfjs: tf.version.tfjs, backend: tf.getBackend(), node: process.version,
    landmarks: '68 points (x, y) interleaved, in pixels of the 112x112 input: face_landmark_68_model output times 112',
    expressionLabels: ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'],
    expressions: 'face_expression_model softmax probabilities in expressionLabels order',
  };
  fs.writeFileSync(path.join(root, OUT, 'reference.json'), JSON.stringify({ ...meta, faces }, null, 1) + '\n');
  console.log(`wrote ${faces.length} faces`);
}

// SsdParity.inputs in Java builds the same inputs: keep the two in step
function ssdInputs(tf, root) {
  const dir = path.join(root, OUT, 'images');
  const crops = fs.readdirSync(dir).filter((f) => f.endsWith('.png')).sort();
  const read = (f) => { const png = PNG.sync.read(fs.readFileSync(path.join(dir, f))); return png; };
  const inputs = [];
  const canvas = () => new Int32Array(512 * 512 * 3);
  const put = (dst, png, x0, y0, scale) => {
    for (let y = 0; y < png.height * scale; y++) {
      for (let x = 0; x < png.width * scale; x++) {
        const s = 4 * (Math.floor(y / scale) * png.width + Math.floor(x / scale));
        for (let c = 0; c < 3; c++) dst[3 * ((y0 + y) * 512 + x0 + x) + c] = png.data[s + c];
      }
    }
  };
  for (let m = 0; 16 * m < crops.length; m++) { // mosaics: 16 crops at 112 px on a 4 x 4 grid of 128 px cells
    const px = canvas();
    crops.slice(16 * m, 16 * m + 16).forEach((f, i) => put(px, read(f), 8 + 128 * (i % 4), 8 + 128 * Math.floor(i / 4), 1));
    inputs.push({ name: `mosaic-${m}`, px });
  }
  for (const k of [0, 10, 20]) { // one crop enlarged 4x (nearest) to 448 px
    const px = canvas();
    put(px, read(crops[k]), 32, 32, 4);
    inputs.push({ name: `large-${crops[k].replace(/\.png$/, '')}`, px });
  }
  inputs.push({ name: 'grey', px: canvas().fill(128) });
  return inputs.map(({ name, px }) => ({ name, tensor: tf.tensor3d(px, [512, 512, 3], 'int32') }));
}

// FaceCropParityTest builds the same photos and boxes: keep the two in step
const CROP_BOXES = [[60.4, 40.7, 380.6, 430.3], [50.7, 70.2, 420.5, 360.9], [-20.5, 300.2, 200, 260], [100, 100, 112, 112]];

async function cropReference(root) {
  const { fa, tf, pkgDir } = await attributeNets();
  const large = ssdInputs(tf, root).filter((i) => i.name.startsWith('large-'));
  const cases = [];
  for (const { name, tensor } of large) {
    for (const box of CROP_BOXES) {
      const [crop] = await fa.extractFaceTensors(tensor, [new fa.Rect(...box)]);
      const landmarks = fa.nets.faceLandmark68Net.runNet(await fa.toNetInput(crop));
      const expressions = fa.nets.faceExpressionNet.forwardInput(await fa.toNetInput(crop));
      cases.push({ photo: name, box, cropShape: crop.shape, landmarks: Array.from(await landmarks.data()),
        expressions: Array.from(await expressions.data()) });
      [crop, landmarks, expressions].forEach((t) => t.dispose());
    }
    tensor.dispose();
  }
  fs.writeFileSync(path.join(root, OUT, 'crop-reference.json'), JSON.stringify({
    package: '@vladmandic/face-api', tfjs: tf.version.tfjs, backend: tf.getBackend(),
    photos: 'the SSD parity inputs large-* (a parity crop enlarged 4x by nearest neighbour at (32, 32) of a black 512 px square)',
    landmarks: 'face_landmark_68_model raw output: 68 (x, y) as fractions of the padded square crop',
    expressions: 'face_expression_model probabilities, FACE_EXPRESSION_LABELS order',
    cases }) + '\n');
  console.log(`wrote ${cases.length} cases`);
}

async function ssdReference(root) {
  const fa = faceapi();
  const tf = fa.tf;
  await tf.setBackend('cpu');
  const pkgDir = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
  const net = fa.nets.ssdMobilenetv1;
  await load(fa, pkgDir, net, 'ssd_mobilenetv1_model');
  const out = [];
  for (const { name, tensor } of ssdInputs(tf, root)) {
    const { boxes, scores } = net.forwardInput(await fa.toNetInput(tensor));
    const b = boxes[0].arraySync();
    const s = Array.from(scores[0].dataSync());
    const top = s.map((score, index) => ({ index, score })).sort((p, q) => q.score - p.score).slice(0, 100)
      .map(({ index, score }) => ({ index, score, box: b[index] }));
    const found = await net.locateFaces(tensor, { minConfidence: 0.5 });
    out.push({ input: name, top, faces: found.map((f) => ({ score: f.score, box: [f.box.x, f.box.y, f.box.width, f.box.height] })) });
    [...boxes, ...scores, tensor].forEach((t) => t.dispose());
    console.log(`${name}: ${found.length} face(s), best anchor ${top[0].score.toFixed(4)}`);
  }
  const meta = {
    package: '@vladmandic/face-api',
    version: JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version,
    tfjs: tf.version.tfjs, backend: tf.getBackend(), node: process.version,
    top: 'per input the 100 anchors of 5118 with the highest score: anchor index, sigmoid score, decoded box [ymin, xmin, ymax, xmax] as fractions of the 512 px input (SsdMobilenetv1.forwardInput)',
    faces: 'SsdMobilenetv1.locateFaces at minConfidence 0.5 (NMS IoU 0.5): score and box [x, y, width, height] in input pixels',
  };
  fs.writeFileSync(path.join(root, OUT, 'ssd-reference.json'), JSON.stringify({ ...meta, inputs: out }) + '\n');
}

const [, , mode, a, b, c, d] = process.argv;
if (mode === 'extract' && c) {
  extract(a, b, c, d);
} else if (mode === 'crop-reference' && a) {
  cropReference(a).catch((e) => { console.error(e); process.exit(1); });
} else if (mode === 'ssd-reference' && a) {
  ssdReference(a).catch((e) => { console.error(e); process.exit(1); });
} else if (mode === 'reference' && a) {
  reference(a).catch((e) => { console.error(e); process.exit(1); });
} else {
  console.error('usage: node faceapi.js extract <face-api package dir> <model> <out dir> [tarball] | reference <repo root> | crop-reference <repo root> | ssd-reference <repo root>');
  process.exit(2);
}
