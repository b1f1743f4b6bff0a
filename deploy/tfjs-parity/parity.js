// Parity references for the TF.js importer: runs nsfwjs's original models in Node with the
// pure-JavaScript CPU backend of @tensorflow/tfjs (no native download) and writes their class
// probabilities, which ParityTest holds the imported models to.
//
//   node parity.js inputs <repo root>        makes the 224x224 parity images from the repo's neutral photos
//                                            and drawings (nsfwjs's own resize: bilinear, align corners)
//   node parity.js reference <repo root>     writes the MobileNetV2 reference probabilities
//   node parity.js inception <repo root> <extracted inception_v3 dir> <out dir>
//                                            299x299 copies of the same images and InceptionV3's references
//
// Both sides read the same 8-bit PNGs and divide by 255 (nsfwjs's normalisation), so the
// comparison is of the networks, not of two image decoders or resizers.
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const { PNG } = require('pngjs');
const jpeg = require('jpeg-js');
const nsfwjs = require('nsfwjs');

const PARITY = 'datasets/src/main/resources/datasets/safe-search';
// Neutral photos and drawings already in the repository (see its SOURCES.md); nothing explicit.
const SOURCES = [
  'datasets/src/main/resources/datasets/faces/images/faceapi-sample1.jpg',
  'datasets/src/main/resources/datasets/faces/images/faceapi-sample2.jpg',
  'datasets/src/main/resources/datasets/faces/images/faceapi-sample3.jpg',
  'datasets/src/main/resources/datasets/faces/images/faceapi-sample4.jpg',
  'datasets/src/main/resources/datasets/faces/images/faceapi-sample5.jpg',
  'datasets/src/main/resources/datasets/faces/images/faceapi-sample6.jpg',
  'datasets/src/main/resources/datasets/faces/images/matplotlib-grace-hopper.jpg',
  'datasets/src/main/resources/datasets/faces/images/scipy-raccoon.jpg',
  'datasets/src/main/resources/datasets/faces/images/skimage-astronaut.png',
  'datasets/src/main/resources/datasets/faces/images/skimage-camera.png',
  'datasets/src/main/resources/datasets/faces/images/skimage-chelsea.png',
  'datasets/src/main/resources/datasets/faces/images/skimage-coffee.png',
  'datasets/src/main/resources/datasets/faces/images/skimage-rocket.jpg',
  'datasets/src/main/resources/datasets/faces/images/sklearn-china.jpg',
  'datasets/src/main/resources/datasets/faces/images/skimage-hubble-deep-field.jpg',
  'datasets/src/main/resources/datasets/faces/images/skimage-brick.png',
  'datasets/src/main/resources/datasets/faces/images/skimage-coins.png',
  'datasets/src/main/resources/datasets/faces/images/skimage-logo.png',
  'datasets/src/main/resources/datasets/faces/images/skimage-horse.png',
  'datasets/src/main/resources/datasets/faces/images/matplotlib-present.png',
  'worker/src/test/resources/text/receipt.png',
  'worker/src/test/resources/text/sign.png',
  'worker/src/test/resources/text/page.png',
  'deploy/local/demo/photos/landscape.png',
  'deploy/local/demo/photos/tricolour.png',
  'datasets/src/main/resources/datasets/text/images/gen-001.png',
];

/** RGBA bytes of a PNG or JPEG, alpha composited on white. */
function decode(file) {
  const buf = fs.readFileSync(file);
  const img = file.endsWith('.png') ? PNG.sync.read(buf) : jpeg.decode(buf, { useTArray: true, formatAsRGBA: true });
  const rgb = new Uint8Array(img.width * img.height * 3);
  for (let i = 0; i < img.width * img.height; i++) {
    const a = img.data[4 * i + 3] / 255;
    for (let c = 0; c < 3; c++) rgb[3 * i + c] = Math.round(img.data[4 * i + c] * a + 255 * (1 - a));
  }
  return tf.tensor3d(rgb, [img.height, img.width, 3], 'int32');
}

function writePng(file, t) {
  const [h, w] = t.shape;
  const data = t.dataSync();
  const png = new PNG({ width: w, height: h, colorType: 2, inputHasAlpha: false, inputColorType: 2 });
  png.data = Buffer.from(Uint8Array.from(data));
  fs.writeFileSync(file, PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false }));
}

function resized(t, size) {
  // nsfwjs: tf.image.resizeBilinear(img / 255, [size, size], alignCorners = true); kept 8-bit here.
  return tf.tidy(() => tf.image.resizeBilinear(t.toFloat(), [size, size], true).round().clipByValue(0, 255).toInt());
}

function readPng(file) {
  const img = PNG.sync.read(fs.readFileSync(file));
  const rgb = new Int32Array(img.width * img.height * 3);
  for (let i = 0; i < img.width * img.height; i++) for (let c = 0; c < 3; c++) rgb[3 * i + c] = img.data[4 * i + c];
  return tf.tensor3d(rgb, [img.height, img.width, 3], 'int32');
}

async function classifyAll(model, dir, names) {
  const out = {};
  for (const name of names) {
    const input = readPng(path.join(dir, name));
    const probs = model.infer(input); // nsfwjs's own path: /255, no resize at the model's size
    out[name] = Array.from(await probs.data());
    probs.dispose();
    input.dispose();
  }
  return out;
}

async function main() {
  const [, , mode, root, extra, outDir] = process.argv;
  await tf.setBackend('cpu');
  const dir = path.join(root, PARITY, 'images');
  const meta = {
    nsfwjs: JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules/nsfwjs/package.json'), 'utf8')).version,
    tfjs: tf.version.tfjs,
    backend: tf.getBackend(),
    node: process.version,
    classes: ['drawing', 'hentai', 'neutral', 'porn', 'sexy'],
  };
  if (mode === 'inputs') {
    fs.mkdirSync(dir, { recursive: true });
    const index = [];
    for (const src of SOURCES) {
      const name = path.basename(src).replace(/\.[a-z]+$/, '') + '.png';
      const t = decode(path.join(root, src));
      const r = resized(t, 224);
      writePng(path.join(dir, name), r);
      index.push(`${name} ${src}`);
      t.dispose();
      r.dispose();
    }
    fs.writeFileSync(path.join(root, PARITY, 'index.txt'), index.join('\n') + '\n');
  } else if (mode === 'reference') {
    const names = fs.readdirSync(dir).filter((f) => f.endsWith('.png')).sort();
    const model = await nsfwjs.load('MobileNetV2', { size: 224, modelDefinitions: [require('nsfwjs/models/mobilenet_v2').MobileNetV2Model] });
    const probabilities = await classifyAll(model, dir, names);
    fs.writeFileSync(path.join(root, PARITY, 'mobilenet_v2.json'),
      JSON.stringify({ ...meta, model: 'MobileNetV2', size: 224, probabilities }, null, 1) + '\n');
  } else if (mode === 'inception') {
    fs.mkdirSync(outDir, { recursive: true });
    const names = fs.readdirSync(dir).filter((f) => f.endsWith('.png')).sort();
    for (const name of names) {
      const t = readPng(path.join(dir, name));
      const r = resized(t, 299);
      writePng(path.join(outDir, name), r);
      t.dispose();
      r.dispose();
    }
    const model = await nsfwjs.load('InceptionV3', { size: 299, modelDefinitions: [require('nsfwjs/models/inception_v3').InceptionV3Model] });
    const probabilities = await classifyAll(model, outDir, names);
    fs.writeFileSync(path.join(outDir, 'inception_v3.json'),
      JSON.stringify({ ...meta, model: 'InceptionV3', size: 299, probabilities }, null, 1) + '\n');
  } else {
    console.error('usage: node parity.js inputs|reference|inception <repo root> [inception dir] [out dir]');
    process.exit(2);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
